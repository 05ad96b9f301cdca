cd /work/main
for v in bare rid pino helmet cors parsers routers rid+pino+helmet+cors+parsers+routers; do
  PORT=3999 node --import tsx bench/.tmp/ablate.mts $v & P=$!
  sleep 2
  npx autocannon -c 32 -d 2 http://127.0.0.1:3999/v1/campaigns/x/progress >/dev/null 2>&1
  R=$(npx autocannon -c 32 -d 5 -j http://127.0.0.1:3999/v1/campaigns/x/progress 2>/dev/null | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log(Math.round(j.requests.total/j.duration))})")
  echo "$v $R"
  kill $P; wait $P 2>/dev/null
done

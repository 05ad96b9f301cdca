/**
 * The widget's look. Publishers theme it with custom properties set on the element (or any
 * ancestor), e.g. `goalpost-progress { --goalpost-accent: #0a7d44 }`, or through ::part().
 */
export const WIDGET_CSS = `
:host {
  --_accent: var(--goalpost-accent, #1a56db);
  --_accent-text: var(--goalpost-accent-text, #fff);
  --_text: var(--goalpost-text, #1f2328);
  --_muted: var(--goalpost-muted, #57606a);
  --_track: var(--goalpost-track, #e5e7eb);
  --_reached: var(--goalpost-reached, #0a7d44);
  --_pledged: var(--goalpost-pledged, color-mix(in srgb, var(--_accent) 35%, var(--_track)));
  --_bg: var(--goalpost-background, transparent);
  --_border: var(--goalpost-border, #d0d7de);
  --_radius: var(--goalpost-radius, 6px);
  display: block;
  container-type: inline-size;
  color: var(--_text);
  background: var(--_bg);
  font: var(--goalpost-font, 400 1rem/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  min-width: 0;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.month { margin: 0; font-size: .8em; font-weight: 700; letter-spacing: .08em; color: var(--_muted); }
.raised { margin: .15em 0 .5em; }
.raised strong { font-size: 1.5em; }
.bar { position: relative; height: .9em; border-radius: 999px; background: var(--_track); overflow: hidden; }
.fill { height: 100%; width: 0; background: var(--_accent); border-radius: inherit; transition: width .6s ease; }
.pledged-fill { position: absolute; top: 0; bottom: 0; background: var(--_pledged); transition: left .6s ease, width .6s ease; }
.pledged { margin: -.4em 0 .5em; font-size: .85em; color: var(--_muted); }
.marker { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; background: var(--_text); opacity: .35; }
.marker.reached { background: var(--_accent-text); opacity: .8; }
.ticks { position: relative; list-style: none; margin: .3em 0 0; padding: 0; height: 1.3em; font-size: .8em; color: var(--_muted); }
.ticks li { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.ticks li:first-child { transform: none; }
.ticks li:last-child { transform: translateX(-100%); }
.next { margin: .4em 0 0; font-size: .9em; }
.tiers { list-style: none; margin: .4em 0 0; padding: 0; font-size: .85em; color: var(--_muted); }
.tiers li::before { content: "○ "; }
.tiers li.reached { color: var(--_reached); }
.tiers li.reached::before { content: "✓ "; }
.status { margin: .4em 0 0; font-size: .85em; color: var(--_muted); }
form { margin-top: .9em; display: grid; gap: .6em; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
legend { padding: 0; margin-bottom: .3em; font-weight: 600; font-size: .9em; }
.choices { display: flex; flex-wrap: wrap; gap: .4em; }
.choice { position: relative; }
.choice input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.choice span { display: inline-block; padding: .35em .8em; border: 1px solid var(--_border); border-radius: var(--_radius); cursor: pointer; }
.choice input:checked + span { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-text); }
.choice input:focus-visible + span, input[type=text]:focus-visible, input[type=email]:focus-visible, textarea:focus-visible,
input[type=checkbox]:focus-visible, button:focus-visible {
  outline: 3px solid var(--_accent); outline-offset: 2px;
}
.field { display: grid; gap: .2em; font-size: .9em; }
input[type=text], input[type=email], textarea {
  font: inherit; font-size: 1rem; width: 100%; padding: .45em .6em;
  border: 1px solid var(--_border); border-radius: var(--_radius); color: inherit; background: #fff;
}
textarea { resize: vertical; min-height: 4.5em; }
.check { display: grid; grid-template-columns: auto 1fr; gap: .1em .5em; align-items: start; font-size: .9em; }
.check input { width: 1.1em; height: 1.1em; margin: .15em 0 0; accent-color: var(--_accent); }
.check .hint { grid-column: 2; }
.hint { font-size: .85em; color: var(--_muted); }
.hint.over { color: var(--goalpost-error, #b42318); }
[aria-invalid=true] { border-color: var(--goalpost-error, #b42318); }
button {
  font: inherit; font-weight: 600; padding: .6em 1em; border: 0; border-radius: var(--_radius);
  background: var(--_accent); color: var(--_accent-text); cursor: pointer;
}
button[disabled] { opacity: .6; cursor: progress; }
.error { margin: 0; color: var(--goalpost-error, #b42318); font-size: .9em; }
.error:empty { display: none; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@container (min-width: 480px) { form { grid-template-columns: 1fr 1fr; } form > :is(.error, button, .field, .check) { grid-column: 1 / -1; } }
@media (prefers-reduced-motion: reduce) { .fill, .pledged-fill { transition: none; } }
`;

/**
 * For a section that loads again and again (a live redraw, a changed filter): call the returned
 * function as each load starts; the check it gives says whether that load is still the newest.
 * Only the newest may draw, so a slower, earlier answer never replaces a newer one.
 */
export function newestOnly(): () => () => boolean {
  let loads = 0;
  return () => {
    const load = ++loads;
    return () => load === loads;
  };
}

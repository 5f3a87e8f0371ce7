/** A clock that ticks only when a highlight is due to fade, so highlights fade without a busy timer. */
import { useEffect, useState } from 'react';

export const HIGHLIGHT_MS = 2000;

export function useFadeClock(changedAt: ReadonlyMap<string, number>): number {
  const [now, setNow] = useState(() => Date.now());
  // One timer, to when the newest highlight fades (the older ones have faded by
  // then). Never a state change in the effect itself: that re-ran the effect,
  // which changed the state again — a loop of renders ("Maximum update depth
  // exceeded"), fastest while a shell from `e` held the screen and frames cost nothing.
  useEffect(() => {
    let newest = 0;
    for (const t of changedAt.values()) newest = Math.max(newest, t);
    const due = newest + HIGHLIGHT_MS - Date.now();
    if (due <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), due + 10);
    return () => clearTimeout(timer);
  }, [changedAt]);
  return now;
}

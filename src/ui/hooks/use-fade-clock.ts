/** A clock that ticks only while something changed recently, so highlights fade without a busy timer. */
import { useEffect, useState } from 'react';

export const HIGHLIGHT_MS = 2000;

export function useFadeClock(changedAt: ReadonlyMap<string, number>): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let newest = 0;
    for (const t of changedAt.values()) newest = Math.max(newest, t);
    const t = Date.now();
    if (newest + HIGHLIGHT_MS <= t) return;
    setNow(t);
    const timer = setTimeout(() => setNow(Date.now()), newest + HIGHLIGHT_MS - t + 10);
    return () => clearTimeout(timer);
  }, [changedAt, now]);
  return now;
}

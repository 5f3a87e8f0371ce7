/**
 * The store's state for the view, its changes paced: a mount storm can change
 * the store hundreds of times a second, and each change is a whole frame
 * (at 50,000 mounts, several ms of Ink's output pass). Changes are drawn at
 * most once per `ms` (the first at once, the last never lost); a keypress
 * redraws at once and reads the newest state then — Ink's own frame limit is
 * set high (render-app.tsx), so keys do not wait for a data frame's slot.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { Store, StoreState } from '../../store/store.js';

/** At most this often the view redraws for the store (30 frames a second). */
export const DATA_FRAME_MS = 33;

/** `subscribe`, with each listener called at most once per `ms`: leading and trailing. */
export function paced(subscribe: (fn: () => void) => () => void, ms: number, now: () => number = Date.now): (fn: () => void) => () => void {
  return (fn) => {
    let last = -Infinity;
    let timer: NodeJS.Timeout | null = null;
    const fire = (): void => {
      timer = null;
      last = now();
      fn();
    };
    const off = subscribe(() => {
      if (timer) return;
      const wait = last + ms - now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  };
}

export function useStoreState(store: Store, ms = DATA_FRAME_MS): StoreState {
  const subscribe = useMemo(() => paced(store.subscribe, ms), [store, ms]);
  return useSyncExternalStore(subscribe, store.getState);
}

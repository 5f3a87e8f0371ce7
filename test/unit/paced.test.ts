/** The store's changes reach the view at most once a data frame: the first at once, the last never lost. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { paced } from '../../src/ui/hooks/use-store-state.js';

afterEach(() => vi.useRealTimers());

describe('paced', () => {
  it('calls at once when idle, folds a burst into one trailing call, and stops when unsubscribed', () => {
    vi.useFakeTimers();
    const listeners = new Set<() => void>();
    const subscribe = (fn: () => void) => (listeners.add(fn), () => listeners.delete(fn));
    const change = () => listeners.forEach((fn) => fn());
    let calls = 0;
    const off = paced(subscribe, 33, () => Date.now())(() => calls++);
    change();
    expect(calls).toBe(1);
    for (let i = 0; i < 100; i++) change(); // a storm within one frame
    expect(calls).toBe(1);
    vi.advanceTimersByTime(33);
    expect(calls).toBe(2); // the last change is drawn
    vi.advanceTimersByTime(1000);
    expect(calls).toBe(2);
    change();
    expect(calls).toBe(3); // idle again: at once
    change();
    off();
    vi.advanceTimersByTime(100);
    expect(calls).toBe(3); // a pending call is dropped with the subscription
    expect(listeners.size).toBe(0);
  });
});

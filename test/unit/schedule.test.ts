import { describe, expect, it } from 'vitest';
import { coalesceWait, namespacesToScan, rescanWait, stamp } from '../../src/watch/schedule.js';

describe('rescanWait', () => {
  it('is the interval the user set, else 10 s stretched to the budget, the first one sooner', () => {
    expect(rescanWait({ fixedMs: 3000, lastCostMs: 999_999 })).toBe(3000);
    expect(rescanWait({ lastCostMs: 5 })).toBe(10_000); // 5 ms / 0.002 = 2.5 s: the 10 s floor
    expect(rescanWait({ lastCostMs: 100 })).toBe(50_000); // 100 ms of every 50 s: 0.2 % of a core
    expect(rescanWait({ lastCostMs: 100, budget: 0.01 })).toBe(10_000);
    expect(rescanWait({ lastCostMs: 100, firstMs: 1000 })).toBe(1000);
  });
  it('never asks for a timer Node would fire at once (over 2^31 - 1 ms)', () => {
    expect(rescanWait({ fixedMs: 1e12, lastCostMs: 0 })).toBe(2 ** 31 - 1);
  });
});

describe('coalesceWait', () => {
  it('reads a quiet table at once, spaces a storm by the cost of the last read', () => {
    expect(coalesceWait(undefined, 100)).toBe(0);
    expect(coalesceWait({ at: 0, cost: 10 }, 100)).toBe(0);
    expect(coalesceWait({ at: 95, cost: 10 }, 100)).toBe(15);
    expect(coalesceWait({ at: 95, cost: 10 }, 100, 4)).toBe(35);
  });
});

describe('namespacesToScan (the "listed twice" rule)', () => {
  const known = (i: number): boolean => i === 1;
  it('scans for a namespace unknown at two listings in a row, never for a known or unexplained one', () => {
    const first = namespacesToScan([1, 2, 3], known, new Set([3]), new Set());
    expect(first).toEqual({ scan: [], listedOnce: new Set([2]) });
    expect(namespacesToScan([1, 2, 3], known, new Set([3]), first.listedOnce).scan).toEqual([2]);
  });
  it('a namespace born and gone between two listings costs no scan', () => {
    const first = namespacesToScan([1, 2], known, new Set(), new Set());
    expect(namespacesToScan([1, 4], known, new Set(), first.listedOnce)).toEqual({ scan: [], listedOnce: new Set([4]) });
  });
});

describe('stamp', () => {
  it('is the injected clock as ISO time', () => {
    expect(stamp({ now: () => 0, mono: () => 0 })).toBe('1970-01-01T00:00:00.000Z');
  });
});

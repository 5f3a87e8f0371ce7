/**
 * The watcher's timing rules as pure functions, and the clock it reads: when
 * the slow re-read of every table comes, how long a storm's reads of one table
 * are spaced, and which namespaces the kernel lists are worth a full scan.
 */

/** Where the watcher reads time: injected, so tests and replays control it. */
export interface Clock {
  /** Wall time, ms since the epoch: what events are stamped with. */
  now(): number;
  /** Monotonic ms (performance.now()): what waits and costs are measured in. */
  mono(): number;
}

export const systemClock: Clock = { now: () => Date.now(), mono: () => performance.now() };

/** An event's time stamp. */
export const stamp = (clock: Clock): string => new Date(clock.now()).toISOString();

/** The slow re-read runs every 10 s at the most. */
const RESCAN_MIN_MS = 10_000;

/**
 * The wait before the next slow re-read of every table: `fixedMs` when the user
 * set one, else 10 s stretched so the re-reads take at most `budget` of one
 * core (the last whole pass cost `lastCostMs`); `firstMs` for the first one.
 */
export function rescanWait(o: { fixedMs?: number; lastCostMs: number; budget?: number; firstMs?: number }): number {
  const regular = o.fixedMs ?? Math.max(RESCAN_MIN_MS, o.lastCostMs / (o.budget ?? 0.002));
  // Never past 2^31 - 1 ms: a longer timer fires at once, a hot loop.
  return Math.min(o.firstMs ?? Infinity, regular, 2 ** 31 - 1);
}

/**
 * How long to wait before reading a woken table again: during a storm, reads of
 * one table are spaced by `factor` times what its last read cost; a quiet table
 * is read at once (0). `last`: when the table was last read and what it cost.
 */
export function coalesceWait(last: { at: number; cost: number } | null | undefined, nowMono: number, factor = 2): number {
  return last ? Math.max(0, last.at + last.cost * factor - nowMono) : 0;
}

/**
 * The "listed twice" rule. A full scan costs seconds on a big host: run it only
 * for a namespace not seen before, and only once the kernel lists it twice in a
 * row. A namespace with processes arrives through them; what is left is one
 * held by an fd or a pin — or one caught being born and torn down (unshare
 * churn), which must not cost a scan.
 * Returns the namespaces that call for a scan now, and what to remember for the
 * next listing.
 */
export function namespacesToScan(listed: number[], known: (inode: number) => boolean, unexplained: ReadonlySet<number>, listedOnce: ReadonlySet<number>): { scan: number[]; listedOnce: Set<number> } {
  const fresh = listed.filter((inode) => !known(inode) && !unexplained.has(inode));
  return { scan: fresh.filter((inode) => listedOnce.has(inode)), listedOnce: new Set(fresh) };
}

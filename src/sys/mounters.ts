/**
 * The processes behind mount events, for the poll thread: read the moment the
 * event is, with their ancestors. `mount(8)` has often exited by then (measured
 * here: about half the time with two cores), so what each exec'd process was
 * is also read the moment the connector reports its exec — within a budget of
 * execs a second, so a process storm costs a bounded share of a core and only
 * loses names, never events. Raw procfs text; the watcher parses it.
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** Exec records read per second at most (each is two small reads and a readlink), and at most this many at once. */
export const EXEC_READS_PER_S = 500;
const EXEC_BURST = 50;
/** Exec records kept: minutes of an ordinary host. */
const KEEP = 4096;
/** Mounters remembered as sent: the watcher keeps at least as many (mount-authors.ts). */
export const RECENT = 1024;

/** A process as read at one moment: raw procfs text. */
export interface RawProcess {
  pid: number;
  stat: string;
  cmdline: string;
  nsLink: string | null;
}

/** The process behind a mount event and its ancestors (nearest first), as far as they could be read. */
export interface RawMounter {
  pid: number;
  self: RawProcess | null;
  /** Its parent when it was gone already, as the connector reported its fork. */
  ppid?: number;
  chain: RawProcess[];
}

export class Mounters {
  private execs = new Map<number, RawProcess>();
  /** Who forked each recent process (the connector's fork events): a gone mounter's ancestors can still be told. */
  private forkedBy = new Map<number, number>();
  /** When each mounter was last read (and sent). */
  private recent = new Map<number, number>();
  private tokens = EXEC_BURST;
  private refilled = 0;

  constructor(private readonly procRoot: string) {}

  /** The connector reported these forks, with their parents (no reads: a map entry each). */
  noteForks(pids: number[], parents: number[]): void {
    pids.forEach((pid, i) => {
      this.forkedBy.delete(pid);
      this.forkedBy.set(pid, parents[i]);
      if (this.forkedBy.size > KEEP) this.forkedBy.delete(this.forkedBy.keys().next().value!);
    });
  }

  /** The connector reported these execs: read what they are now, while the budget lasts. */
  noteExecs(pids: number[], now: number): void {
    this.tokens = Math.min(EXEC_BURST, this.tokens + ((now - this.refilled) * EXEC_READS_PER_S) / 1000);
    this.refilled = now;
    for (const pid of pids) {
      // What it was before this exec is no longer what it is: never name it by that.
      this.execs.delete(pid);
      this.recent.delete(pid); // its next mount event reads it (and sends it) anew
      if (this.tokens < 1) continue;
      this.tokens--;
      const p = this.read(pid, true);
      if (!p) continue;
      this.execs.set(pid, p); // the newest last, the oldest first out
      if (this.execs.size > KEEP) this.execs.delete(this.execs.keys().next().value!);
    }
  }

  /**
   * Each pid as it is now (or was at its exec, when it is gone or half gone),
   * with at most 8 ancestors — only those not read in the last second: a storm
   * by one process reads it, and sends it on, once a second.
   */
  fresh(pids: Iterable<number>, now: number): RawMounter[] {
    const out = new Map<number, RawMounter>();
    for (const pid of pids) {
      if (pid <= 0 || out.has(pid)) continue;
      const at = this.recent.get(pid);
      if (at !== undefined && now - at < 1000) continue;
      const self = this.best(pid);
      const ppid = self ? ppidOf(self.stat) : (this.forkedBy.get(pid) ?? 0);
      const chain: RawProcess[] = [];
      for (let p = ppid, hops = 0; p > 0 && hops < 8; hops++) {
        const up = this.read(p, false) ?? this.execs.get(p) ?? null;
        if (!up) break;
        chain.push(up);
        p = p === 1 ? 0 : ppidOf(up.stat);
      }
      this.recent.delete(pid);
      this.recent.set(pid, now);
      if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
      out.set(pid, self ? { pid, self, chain } : { pid, self, ppid: ppid || undefined, chain });
    }
    return [...out.values()];
  }

  /** Read now; where an exiting process has lost its cmdline or namespace already, what its exec showed. */
  private best(pid: number): RawProcess | null {
    const now = this.read(pid, true);
    const then = this.execs.get(pid);
    if (!now) return then ?? null;
    if (!then || (now.cmdline !== '' && now.nsLink !== null)) return now;
    return { pid, stat: now.stat, cmdline: now.cmdline || then.cmdline, nsLink: now.nsLink ?? then.nsLink };
  }

  /** Its cmdline first and its namespace next: an exiting process loses them in that order, its stat last. */
  private read(pid: number, full: boolean): RawProcess | null {
    const dir = `${this.procRoot}/${pid}`;
    let cmdline = '';
    let nsLink: string | null = null;
    if (full) {
      try {
        cmdline = readFileSync(`${dir}/cmdline`, 'utf8');
      } catch {
        /* exiting: what else can be read stands */
      }
      try {
        nsLink = readlinkSync(`${dir}/ns/mnt`);
      } catch {
        /* exiting */
      }
    }
    try {
      return { pid, stat: readFileSync(`${dir}/stat`, 'utf8'), cmdline, nsLink };
    } catch {
      return null;
    }
  }
}

/** The parent pid in a /proc/PID/stat line (the field after the state, past the comm's closing parenthesis). */
function ppidOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || 0;
}

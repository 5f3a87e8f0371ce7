/**
 * One namespace's mount table as the watcher follows it: the text of the last
 * read and its parse line by line, so a re-read parses only the lines that
 * changed; and, on an open fd of a table the kernel generates, where that fd
 * stands, so a read from there returns just the mounts appended since.
 */
import { fstatSync, read, readSync } from 'node:fs';
import { appendedHidden, buildMountTree, hiddenIds, removedPlain } from '../model/mount-tree.js';
import { monoMs } from '../sys/mono.js';
import type { Mount, MountIdentity, MountinfoError } from '../model/types.js';
import { parseMountinfoBytes, parseMountinfoLine } from '../proc/mountinfo.js';

const readBuf = Buffer.allocUnsafe(1 << 20);

/**
 * Reads a whole mountinfo from an open fd, from position 0 (a plain second read
 * returns ''), and returns it only when it differs from `last`: the common
 * rescan of an unchanged table compares each chunk in place and allocates nothing.
 */
function readIfChanged(fd: number, last: Buffer | undefined): Buffer | null {
  const parts: Buffer[] = [];
  let same = 0; // bytes known equal to `last`, not yet copied into parts
  let pos = 0;
  for (;;) {
    const n = readSync(fd, readBuf, 0, readBuf.length, pos);
    if (n <= 0) break;
    if (parts.length === 0 && last && pos + n <= last.length && readBuf.compare(last, pos, pos + n, 0, n) === 0) {
      same += n;
    } else {
      if (same > 0) parts.push(last!.subarray(0, same));
      same = 0;
      // Copied as bytes and decoded once: a UTF-8 character may straddle two reads.
      parts.push(Buffer.from(readBuf.subarray(0, n)));
    }
    pos += n;
  }
  if (parts.length === 0) {
    if (last && pos === last.length) return null;
    return Buffer.from(last ? last.subarray(0, pos) : Buffer.alloc(0)); // a shorter table whose start matches
  }
  return Buffer.concat(parts);
}

/** Reads a whole fd from position 0 on libuv's pool: the main thread goes on meanwhile. */
function readAllOffThread(fd: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const step = (pos: number): void => {
      const chunk = Buffer.allocUnsafe(1 << 20);
      read(fd, chunk, 0, chunk.length, pos, (err, n) => {
        if (err) return reject(err);
        if (n <= 0) return resolve(Buffer.concat(parts));
        parts.push(chunk.subarray(0, n));
        step(pos + n);
      });
    };
    step(0);
  });
}

/**
 * A table whose whole read costs this much (ms) is read off the main thread:
 * the kernel takes seconds to generate some tables (deeply stacked bind mounts;
 * README, "Measured"), and a read on the main thread froze the TUI's keys for as long.
 */
export const SLOW_READ_MS = 50;

/** Reads an fd from `pos` to its end. */
function readFrom(fd: number, pos: number): Buffer {
  const parts: Buffer[] = [];
  for (;;) {
    const n = readSync(fd, readBuf, 0, readBuf.length, pos);
    if (n <= 0) return Buffer.concat(parts);
    parts.push(Buffer.from(readBuf.subarray(0, n)));
    pos += n;
  }
}

/** At most this many new lines take the shortcut (a recursive bind of a big tree does not). */
const APPENDED_MAX = 16;

/** What a whole read found changed. */
export interface TableChange {
  /** Mounts that are not the last table's objects: new, changed, or with their hidden flag flipped. */
  fresh: Mount[];
  /** The last table's mounts that are not in this one as they were. */
  gone: Mount[];
}

/** What a read of the appended lines found: new mounts, or lines it leaves to a whole read. */
export type Appended = { added: Mount[]; bytes: number } | { declined: number };

export class FollowedTable {
  /** The table's mounts: from the last read, or as the snapshot gave them before it. */
  mounts: Mount[];
  errors: MountinfoError[];
  /** When the last whole read ended and what it cost (ms): storms space reads by it. */
  lastRead: { at: number; cost: number } | null = null;
  /** The table's text: the last whole read and the lines appended since; set while where the fd stands is known. `exact`: it is still the table's (applied mount events leave it behind). */
  private text: Buffer | undefined;
  private exact = false;
  /**
   * Where the fd stands: the bytes read through it since the last read from 0.
   * Not the text's length once a mount is detached: the kernel goes on from
   * the mount after the last one read only when a read starts where the last
   * one ended (else it walks the table from the top to that offset).
   */
  private pos = 0;
  /** Each mount's line, in the order of `mounts`. */
  private lines: string[] = [];
  /** When (monoMs) the last whole read began: a mount event read before then is in it already. */
  private readBegan = -Infinity;
  /** Line → mount, for `mounts`: these objects are shared from one table to the next. */
  private byLine = new Map<string, Mount>();
  /** A table the kernel generates (size 0) is read by records; a recorded --proc tree's plain file changes by bytes. */
  private readonly records: boolean;

  constructor(
    readonly fd: number | null,
    mounts: Mount[],
    errors: MountinfoError[],
    /** Read as a table the kernel generates (tests give a plain file they only append to, as the kernel's fd behaves). */
    generated = fd !== null && fstatSync(fd).size === 0,
  ) {
    this.mounts = mounts;
    this.errors = errors;
    this.records = generated;
  }

  /** The next whole read parses and compares even an unchanged text (our mounts may be a snapshot's). */
  invalidate(): void {
    this.text = undefined;
    this.exact = false;
  }

  /**
   * Reads the table whole through the fd from position 0 (or takes `held()`, the
   * text of a namespace held without a process) and returns what changed, or null
   * when the text did not. Throws when the read fails.
   */
  readWhole(held?: () => string): TableChange | null {
    const t0 = performance.now();
    this.readBegan = monoMs();
    let bytes: Buffer | null;
    try {
      if (this.fd !== null) bytes = readIfChanged(this.fd, this.exact ? this.text : undefined);
      else if (held) bytes = Buffer.from(held(), 'latin1');
      else return null;
    } catch (e) {
      this.lose(); // where the fd stands is unknown now: no shortcut
      throw e;
    }
    return this.took(bytes, t0);
  }

  /** Whether a whole read of this table goes off the main thread (its last one was slow). */
  slow(): boolean {
    if (this.fd === null) return false;
    // Not read by us yet (the snapshot's reader threads read it): judged by its size.
    return this.lastRead ? this.lastRead.cost >= SLOW_READ_MS : this.mounts.length > 2000;
  }

  /** readWhole, with the read itself on libuv's pool (for slow tables). */
  async readWholeOffThread(): Promise<TableChange | null> {
    if (this.fd === null) return null;
    const t0 = performance.now();
    this.readBegan = monoMs();
    let bytes: Buffer;
    try {
      bytes = await readAllOffThread(this.fd);
    } catch (e) {
      this.lose();
      throw e;
    }
    return this.took(bytes, t0);
  }

  private took(bytes: Buffer | null, t0: number): TableChange | null {
    // An unchanged table (the common case of a rescan) is neither decoded nor parsed;
    // `equals` is for the held-namespace and off-thread paths, which read whole.
    const change = bytes === null || (this.exact && this.text?.equals(bytes)) ? null : this.take(bytes);
    this.pos = bytes?.length ?? this.text?.length ?? 0;
    this.lastRead = { at: performance.now(), cost: performance.now() - t0 };
    return change;
  }

  /**
   * The shortcut for a wake: reads only what the kernel appended since our last
   * read. mountinfo lists mounts in the order they were made (by their 64-bit id,
   * kernel 6.8+), and a read from where the last one ended returns just the
   * mounts made since — a few hundred bytes, not the whole table (findmnt
   * re-reads it all, which on a big table costs far more). Taken
   * only when each new line is a plain new leaf (appendedHidden); anything else
   * (umounts, moves, remounts, a new mount that is not plain) is the whole read's,
   * which the caller runs next anyway. Null when nothing was appended.
   */
  readAppended(): Appended | null {
    const tail = this.readTail();
    if (tail === null) return null;
    const added = tail.added && tail.added.length <= APPENDED_MAX ? tail.added : null;
    const flags = added ? appendedHidden(this.mounts, added) : null;
    if (!added || !flags) {
      this.lose(); // the fd stands past `text` now: the next read is a whole one from 0
      return { declined: tail.lines.length };
    }
    added.forEach((m, i) => (m.hidden = flags[i]));
    this.takeTail(this.mounts, added, tail);
    return { added, bytes: tail.bytes.length };
  }

  /**
   * Applies the kernel's mount events (the change source where there are
   * some): the mounts attached are the lines appended since the last read,
   * the mounts detached are taken out by id, parent and device — no whole
   * read, which at 50,000 mounts costs 0.3–0.6 s. `at` is when the events were
   * read: ones read before the last whole read began are in it already (and a
   * detached mount's id may be some new mount's by now). 'unfit' when the
   * events do not explain the table (an attached mount not there, a new line
   * with the id of a mount still listed, lines that do not parse, a table not
   * read by us yet): the caller reads it whole. A mount whose parent went in
   * another batch (a lazy umount split between two reads) stays until its own
   * detach comes. Null when nothing changed.
   */
  applyEvents(detached: readonly MountIdentity[], attached: readonly MountIdentity[], at: number): TableChange | 'unfit' | null {
    if (at < this.readBegan) return null;
    if (this.fd === null || !this.records || !this.text) return 'unfit';
    const tail = this.readTail();
    if (tail && !tail.added) return (this.lose(), 'unfit');
    const added = tail?.added ?? [];
    // By id: a scan for a few events (at 50,000 mounts building a map costs 3 ms,
    // a scan 0.1), a map for a storm's batch of hundreds.
    let index: Map<number, number> | null = null;
    const indexOf = (id: number): number | undefined => {
      if (detached.length + attached.length <= 8) {
        const i = this.mounts.findIndex((m) => m.id === id);
        return i < 0 ? undefined : i;
      }
      if (!index) {
        index = new Map();
        for (let i = 0; i < this.mounts.length; i++) index.set(this.mounts[i].id, i);
      }
      return index.get(id);
    };
    const going = new Set<number>();
    for (const d of detached) {
      const i = indexOf(d.id);
      if (i !== undefined && sameIdentity(this.mounts[i], d)) going.add(i);
    }
    // A new line with the id of a mount still in the table: that mount's detach
    // has not come yet (the lines are read ahead of the events) or was lost. Taken
    // now, the table would hold two mounts of one id, and a later detach could
    // take out the wrong one: read whole instead.
    for (const m of added) {
      const i = indexOf(m.id);
      if (i !== undefined && !going.has(i)) return (this.lose(), 'unfit');
    }
    const addedById = new Map(added.map((m) => [m.id, m]));
    const there = (a: MountIdentity): boolean => {
      const fresh = addedById.get(a.id);
      if (fresh) return sameIdentity(fresh, a);
      const i = indexOf(a.id);
      return i !== undefined && !going.has(i) && sameIdentity(this.mounts[i], a);
    };
    if (!attached.every(there)) {
      if (tail) this.lose();
      return 'unfit';
    }
    if (going.size === 0 && added.length === 0) return null;
    const gone = [...going].map((i) => this.mounts[i]);
    const kept = going.size ? without(this.mounts, going) : this.mounts;
    const flags = (gone.length === 0 || (gone.length <= APPENDED_MAX && removedPlain(this.mounts, gone))) && added.length <= APPENDED_MAX ? appendedHidden(kept, added) : null;
    // The text is no longer the table's: the next whole read parses (unchanged
    // lines keep their objects) instead of comparing. Keeping it exact cost two
    // copies of the whole text per event (4 MB at 50,000 mounts).
    this.exact = false;
    if (going.size) {
      for (const i of going) this.byLine.delete(this.lines[i]);
      this.mounts = kept;
      this.lines = without(this.lines, going);
    }
    if (flags) added.forEach((m, i) => (m.hidden = flags[i]));
    const fresh = [...added];
    if (tail) this.takeTail(this.mounts, added, tail);
    else this.mounts = [...this.mounts]; // a new array for a new table: views memoise on it
    if (!flags) {
      // A mount overmounted or covered is in view again, or one is hidden now: the tree's flags anew.
      for (const m of reflag(this.mounts, this.lines, this.byLine, new Set(added))) {
        fresh.push(m.copy);
        gone.push(m.old);
      }
    }
    return { fresh, gone };
  }

  /** The lines appended since the last read, parsed (`added` null: some line is not a new mount); null when there are none. */
  private readTail(): { bytes: Buffer; lines: string[]; added: Mount[] | null } | null {
    if (this.fd === null || !this.records || !this.text) return null;
    let bytes: Buffer;
    try {
      bytes = readFrom(this.fd, this.pos);
    } catch {
      this.lose();
      return null;
    }
    if (bytes.length === 0) return null;
    this.pos += bytes.length;
    const lines = bytes.toString('latin1').split('\n');
    if (lines.pop() !== '') return { bytes, lines, added: null };
    const added: Mount[] = [];
    for (const line of lines) {
      const m = parseMountinfoLine(line, true);
      if (typeof m === 'string' || this.byLine.has(line)) return { bytes, lines, added: null };
      added.push(m);
    }
    return { bytes, lines, added };
  }

  /** Makes `before` plus the appended mounts the table. */
  private takeTail(before: Mount[], added: Mount[], tail: { bytes: Buffer; lines: string[] }): void {
    added.forEach((m, i) => this.byLine.set(tail.lines[i], m));
    this.mounts = before.concat(added);
    this.lines = this.lines.concat(tail.lines);
    if (this.exact && this.text) this.text = Buffer.concat([this.text, tail.bytes]);
  }

  /** Where the fd stands is unknown now: no shortcut until a whole read from 0. */
  private lose(): void {
    this.text = undefined;
    this.exact = false;
  }

  /**
   * Parses a new text (only its changed lines), marks its hidden mounts and makes
   * it the table. Unchanged lines keep the last parse's objects, so what changed
   * is `fresh` (a mount whose hidden flag flipped is copied into it), and what
   * went is the old mounts not kept.
   */
  private take(bytes: Buffer): TableChange {
    const before = this.mounts;
    // latin1: one character per byte, decoded per field (names need not be UTF-8).
    const parsed = parseMountinfoBytes(bytes.toString('latin1'), this.byLine);
    const { mounts, lines, byLine } = parsed;
    const fresh = parsed.fresh!;
    for (const m of reflag(mounts, lines!, byLine!, new Set(fresh))) fresh.push(m.copy);
    // Every kept old object is one of `before`'s: when all of them are kept, nothing went.
    let gone: Mount[] = [];
    if (mounts.length - fresh.length !== before.length) {
      const kept = new Set(mounts);
      gone = before.filter((m) => !kept.has(m));
    }
    this.text = bytes;
    this.exact = true;
    this.byLine = byLine!;
    this.lines = lines!;
    this.mounts = mounts;
    this.errors = parsed.errors;
    return { fresh, gone };
  }
}

/**
 * Sets every mount's hidden flag from the tree: `own` (this read's new objects)
 * in place; a mount shared with the last table is replaced by a copy (that
 * table's object stays as it was), here and in `byLine`. The copies made, and
 * the objects they replace.
 */
function reflag(mounts: Mount[], lines: readonly string[], byLine: Map<string, Mount>, own: ReadonlySet<Mount>): Array<{ copy: Mount; old: Mount }> {
  const hidden = hiddenIds(buildMountTree(mounts));
  const out: Array<{ copy: Mount; old: Mount }> = [];
  for (let i = 0; i < mounts.length; i++) {
    const old = mounts[i];
    const want = hidden.has(old.id);
    if (old.hidden === want) continue;
    if (own.has(old)) {
      old.hidden = want;
      continue;
    }
    mounts[i] = { ...old, hidden: want };
    byLine.set(lines[i], mounts[i]);
    out.push({ copy: mounts[i], old });
  }
  return out;
}

/** A copy of `xs` without the items at `drop` (a copy and a few moves: 50,000 items in a tenth of a millisecond). */
function without<T>(xs: readonly T[], drop: ReadonlySet<number>): T[] {
  if (drop.size > APPENDED_MAX) return xs.filter((_, i) => !drop.has(i));
  const out = xs.slice();
  for (const i of [...drop].sort((a, b) => b - a)) out.splice(i, 1);
  return out;
}

const sameIdentity = (m: Mount, k: MountIdentity): boolean => m.id === k.id && m.parent === k.parent && m.major === k.major && m.minor === k.minor;

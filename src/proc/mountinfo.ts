/**
 * Pure parser for /proc/PID/mountinfo, exactly per proc_pid_mountinfo(5):
 *
 *   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2)(3)   (4)   (5)         (6)      (7)     (8) (9)   (10)      (11)
 *
 * Optional fields (7) end at a lone "-". Paths carry the kernel's octal escapes
 * (only space, tab, newline and backslash: `\040 \011 \012 \134`); anything else,
 * control bytes included, arrives raw and is the sanitiser's job, not ours.
 */
import type { Mount, MountinfoError, Propagation } from '../model/types.js';

export interface ParsedMountinfo {
  mounts: Mount[];
  errors: MountinfoError[];
  /**
   * Line numbers left out because a later line has the same mount id. The kernel
   * hands mountinfo out a page per read(2) and lets go of the namespace between
   * reads (the last, "end of file" read included), so a mount made in between can
   * reuse the id of one unmounted in between, and both show. Ids are unique among
   * live mounts, so the later line is the mount that exists; keeping both made the
   * earlier one look mounted for good (a diff by id saw only one of them go).
   */
  superseded: number[];
  /** With `previous` only: line → mount, for the next parse of the same table. */
  byLine?: Map<string, Mount>;
  /** With `previous` only: each mount's line, in the order of `mounts`. */
  lines?: string[];
  /** With `previous` only: the mounts parsed this time (the others are `previous`'s own objects). */
  fresh?: Mount[];
}

/** Resolves `\NNN` octal escapes in bytes; a backslash not followed by three octal digits (≤ 0377) stays. */
function octalToBytes(raw: Uint8Array): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x5c && isOct(raw[i + 1]) && isOct(raw[i + 2]) && isOct(raw[i + 3])) {
      const v = (raw[i + 1] - 48) * 64 + (raw[i + 2] - 48) * 8 + (raw[i + 3] - 48);
      if (v <= 0xff) {
        bytes.push(v);
        i += 3;
        continue;
      }
    }
    bytes.push(c);
  }
  return Buffer.from(bytes);
}

/** Decodes `\NNN` octal escapes; a backslash not followed by three octal digits stays. */
export function unescapeMountinfo(s: string): string {
  if (!s.includes('\\')) return s;
  // Decode to bytes first: an escaped byte may be half of a UTF-8 sequence.
  return octalToBytes(Buffer.from(s, 'utf8')).toString('utf8');
}

/**
 * For a table read as bytes (one latin1 character per byte, `parseMountinfoBytes`):
 * decodes a field to its bytes, then as UTF-8. When the bytes are not valid
 * UTF-8 (a name is any bytes but `/` and NUL), the text has U+FFFD where they
 * were, and `raw` keeps the bytes exactly, in mountinfo's own escape form.
 */
function decodeBytes(s: string, unescape: boolean): { text: string; raw?: string } {
  if (!NON_ASCII_OR_ESCAPE.test(s)) return { text: s };
  const latin1 = Buffer.from(s, 'latin1');
  const buf = unescape ? octalToBytes(latin1) : latin1;
  const text = buf.toString('utf8');
  if (Buffer.byteLength(text) === buf.length && Buffer.from(text).equals(buf)) return { text };
  return { text, raw: escapeBytes(buf) };
}

const NON_ASCII_OR_ESCAPE = /[\\\x80-\xff]/;
const NON_ASCII = /[\x80-\xff]/;

/** Bytes in mountinfo's escape form: printable ASCII as it is, `\` and every other byte as `\NNN`. */
export function escapeBytes(b: Uint8Array): string {
  let out = '';
  for (const c of b) out += c > 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
  return out;
}

/** The bytes of a field in mountinfo's escape form (`\NNN`), as `escapeBytes` writes it. */
export function unescapeBytes(s: string): Buffer {
  return octalToBytes(Buffer.from(s, 'utf8'));
}

function isOct(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 55;
}

/** A non-negative decimal, or -1. Hand-rolled: this runs for every field of 100,000s of lines. */
function toUint(s: string): number {
  if (s.length === 0 || s.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Parses the optional fields (7) into propagation; unknown tags are kept, not dropped. */
export function parseOptionalFields(fields: string[]): { propagation: Propagation; otherFields: string[] } {
  const propagation: Propagation = { shared: null, master: null, propagateFrom: null, unbindable: false };
  const otherFields: string[] = [];
  for (const f of fields) {
    if (f === '') continue;
    const colon = f.indexOf(':');
    const tag = colon < 0 ? f : f.slice(0, colon);
    const n = colon < 0 ? -1 : toUint(f.slice(colon + 1));
    if (tag === 'shared' && n >= 0) propagation.shared = n;
    else if (tag === 'master' && n >= 0) propagation.master = n;
    else if (tag === 'propagate_from' && n >= 0) propagation.propagateFrom = n;
    else if (f === 'unbindable') propagation.unbindable = true;
    else otherFields.push(f);
  }
  return { propagation, otherFields };
}

// Most mounts are private with no optional fields: share one frozen value for
// them instead of allocating two objects per line (100,000s of lines on big hosts).
const PRIVATE: Propagation = Object.freeze({ shared: null, master: null, propagateFrom: null, unbindable: false });
const NO_FIELDS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Mounts already parsed, by their line without the two ids: the copies of a
 * table in a hundred namespaces differ only there (slave copies even share
 * `master:N`), so a copy's mount takes every other field from the first one
 * parsed — one parse and one set of strings per distinct line, for a snapshot.
 */
export type SameLines = Map<string, Mount>;

/** The mount of `line` when `seen` has its line but for the ids; else undefined. */
function fromSeen(line: string, seen: SameLines): Mount | undefined {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const t = seen.get(line.slice(b + 1));
  if (t === undefined) return undefined;
  const id = toUint(line.slice(0, a));
  const parent = toUint(line.slice(a + 1, b));
  if (id < 0 || parent < 0) return undefined;
  const m: Mount = {
    id,
    parent,
    major: t.major,
    minor: t.minor,
    root: t.root,
    target: t.target,
    options: t.options,
    fstype: t.fstype,
    source: t.source,
    superOptions: t.superOptions,
    propagation: t.propagation,
    otherFields: t.otherFields,
    hidden: false,
  };
  if (t.rootRaw !== undefined) m.rootRaw = t.rootRaw;
  if (t.targetRaw !== undefined) m.targetRaw = t.targetRaw;
  if (t.sourceRaw !== undefined) m.sourceRaw = t.sourceRaw;
  return m;
}

/**
 * Parses one line; returns a reason string when the line is malformed. `bytes`:
 * the line is latin1 text, one character per byte (see parseMountinfoBytes).
 * `seen`: lines parsed before (SameLines); this one is added to it. Its
 * mounts share `propagation` and `otherFields` objects: never modify them.
 */
export function parseMountinfoLine(line: string, bytes = false, seen?: SameLines): Mount | string {
  const known = seen === undefined ? undefined : fromSeen(line, seen);
  if (known !== undefined) return known;
  const m = parseLine(line, bytes);
  if (seen !== undefined && typeof m !== 'string') seen.set(line.slice(line.indexOf(' ', line.indexOf(' ') + 1) + 1), m);
  return m;
}

function parseLine(line: string, bytes: boolean): Mount | string {
  const f = line.split(' ');
  const sep = f.indexOf('-', 6);
  if (sep < 0) return 'no "-" separator after the optional fields';
  if (f.length < 10) return 'too few fields';
  if (f.length - sep - 1 < 3) return 'fewer than 3 fields after "-"';
  if (f.length - sep - 1 > 3) return 'extra fields after the super options';
  const id = toUint(f[0]);
  const parent = toUint(f[1]);
  if (id < 0 || parent < 0) return 'mount id or parent id is not a number';
  const dev = f[2];
  const colon = dev.indexOf(':');
  const major = colon < 0 ? -1 : toUint(dev.slice(0, colon));
  const minor = colon < 0 ? -1 : toUint(dev.slice(colon + 1));
  if (major < 0 || minor < 0) return 'major:minor is malformed';
  const { propagation, otherFields } = sep === 6 ? { propagation: PRIVATE, otherFields: NO_FIELDS } : parseOptionalFields(f.slice(6, sep));
  // An ASCII line reads the same as text (and most lines are ASCII).
  if (!bytes || !NON_ASCII.test(line)) {
    return {
      id,
      parent,
      major,
      minor,
      root: unescapeMountinfo(f[3]),
      target: unescapeMountinfo(f[4]),
      options: f[5],
      fstype: unescapeMountinfo(f[sep + 1]),
      source: unescapeMountinfo(f[sep + 2]),
      superOptions: unescapeMountinfo(f[sep + 3]),
      propagation,
      otherFields,
      hidden: false,
    };
  }
  const root = decodeBytes(f[3], true);
  const target = decodeBytes(f[4], true);
  const source = decodeBytes(f[sep + 2], true);
  const m: Mount = {
    id,
    parent,
    major,
    minor,
    root: root.text,
    target: target.text,
    options: decodeBytes(f[5], false).text,
    fstype: decodeBytes(f[sep + 1], true).text,
    source: source.text,
    superOptions: decodeBytes(f[sep + 3], true).text,
    propagation,
    otherFields,
    hidden: false,
  };
  // Names that are not UTF-8 keep their exact bytes beside the text (two such
  // names can decode to the same text).
  if (root.raw !== undefined) m.rootRaw = root.raw;
  if (target.raw !== undefined) m.targetRaw = target.raw;
  if (source.raw !== undefined) m.sourceRaw = source.raw;
  return m;
}

/**
 * Parses a whole mountinfo text. Malformed lines are reported with their number;
 * the rest are kept, but for a line whose mount id a later line repeats (see
 * `superseded`). With `previous` (the last parse's `byLine` for this table), an
 * unchanged line gives back the very mount object parsed for it before — so a
 * re-read after one mount in a big table parses one line, and what changed is
 * `fresh`. Such shared objects must not be modified: copy one to change it.
 */
export function parseMountinfo(text: string, previous?: Map<string, Mount>, bytes = false, seen?: SameLines): ParsedMountinfo {
  const mounts: Mount[] = [];
  const lineOf: number[] = [];
  const texts: string[] = [];
  const reused: boolean[] = [];
  const errors: MountinfoError[] = [];
  const superseded: number[] = [];
  const indexOf = new Map<number, number>(); // mount id → its place in `mounts`
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i];
    if (line === '') continue;
    const known = previous?.get(line);
    const m = known ?? parseMountinfoLine(line, bytes, seen);
    if (typeof m === 'string') {
      errors.push({ line: i + 1, text: line, reason: m });
      continue;
    }
    const earlier = indexOf.get(m.id);
    if (earlier !== undefined) superseded.push(lineOf[earlier]);
    indexOf.set(m.id, mounts.length);
    mounts.push(m);
    lineOf.push(i + 1);
    if (previous) {
      texts.push(line);
      reused.push(known !== undefined);
    }
  }
  superseded.sort((a, b) => a - b);
  const keep = (k: number) => superseded.length === 0 || indexOf.get(mounts[k].id) === k;
  if (!previous) return { mounts: superseded.length ? mounts.filter((_, k) => keep(k)) : mounts, errors, superseded };
  const kept: Mount[] = [];
  const lines: string[] = [];
  const fresh: Mount[] = [];
  const byLine = new Map<string, Mount>();
  for (let k = 0; k < mounts.length; k++) {
    if (!keep(k)) continue;
    kept.push(mounts[k]);
    lines.push(texts[k]);
    byLine.set(texts[k], mounts[k]);
    if (!reused[k]) fresh.push(mounts[k]);
  }
  return { mounts: kept, errors, superseded, byLine, lines, fresh };
}

/**
 * parseMountinfo for a table as the kernel gave it: `latin1` holds its bytes,
 * one character each (`buf.toString('latin1')`, or readFileSync(…, 'latin1')),
 * so no byte of a name is lost to UTF-8 decoding before the fields are split.
 */
export function parseMountinfoBytes(latin1: string, previous?: Map<string, Mount>, seen?: SameLines): ParsedMountinfo {
  return parseMountinfo(latin1, previous, true, seen);
}

/**
 * `mntns --json`: the snapshot in the version-1 contract, written one namespace
 * at a time and with back-pressure, so a host with 100,000 mounts never holds the
 * whole document in memory (as one string, or queued behind a slow pipe).
 */
import type { Mount, MountNamespace, Snapshot } from '../model/types.js';

/**
 * Where output goes: `write` returns false when the consumer wants us to wait
 * for `drain`. `writableLength` (a Node stream's bytes not yet written out):
 * when 0 after a write, the chunk was written and can be filled again.
 */
export interface Sink {
  write(chunk: Uint8Array | string): boolean;
  once(event: 'drain', cb: () => void): unknown;
  readonly writableLength?: number;
}

/** Writes `snap` as one JSON document to `out` (compact, or indented when `pretty`). */
export async function writeSnapshotJson(snap: Snapshot, out: Sink, pretty = false): Promise<void> {
  if (pretty) {
    if (!out.write(JSON.stringify(snap, null, 2) + '\n')) await new Promise<void>((r) => out.once('drain', r));
    return;
  }
  const w = new ChunkWriter(out);
  w.text(`{"version":${snap.version},"time":${JSON.stringify(snap.time)},"namespaces":[`);
  const fields = new FieldCache();
  for (let i = 0; i < snap.namespaces.length; i++) {
    if (i) w.ascii(',');
    namespaceJson(snap.namespaces[i], fields, w);
    await w.handOver();
  }
  w.ascii('],"peerGroups":[');
  for (let i = 0; i < snap.peerGroups.length; i++) w.text((i ? ',' : '') + JSON.stringify(snap.peerGroups[i]));
  w.text(`],"errors":${JSON.stringify(snap.errors)}}\n`);
  await w.handOver(true);
}

const CHUNK = 1 << 20;

/**
 * The document's bytes, gathered in chunks of a megabyte: a mount's shared
 * fields are copied in as the bytes they were encoded to once, not rebuilt and
 * re-encoded as a string per mount. A chunk handed to the sink is never
 * written again (a stream may hold it until it is flushed).
 */
class ChunkWriter {
  private buf: Buffer = Buffer.allocUnsafe(CHUNK);
  private n = 0;
  private full: Buffer[] = [];
  /** Chunks the sink has written out: filled again. */
  private spare: Buffer[] = [];

  constructor(private readonly out: Sink) {}

  private room(bytes: number): void {
    if (this.n + bytes <= this.buf.length) return;
    if (this.n > 0) this.full.push(this.buf.subarray(0, this.n));
    // Without reuse, 42 MB of chunks at 100 namespaces waited for a GC: peak RSS 40 MB more.
    this.buf = bytes <= CHUNK ? (this.spare.pop() ?? Buffer.allocUnsafe(CHUNK)) : Buffer.allocUnsafe(bytes);
    this.n = 0;
  }

  /**
   * JSON syntax: ASCII only, a few characters, copied byte by byte here (a
   * Buffer.write per comma, five for every mount, cost more than the bytes).
   */
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i);
  }

  /** A mount id: its decimal digits, no string made for them. */
  uint(x: number): void {
    if (!Number.isSafeInteger(x) || x < 0) return this.ascii(String(x));
    let digits = 1;
    for (let y = x; y >= 10; y = Math.floor(y / 10)) digits++;
    this.room(digits);
    for (let i = this.n + digits - 1; i >= this.n; i--, x = Math.floor(x / 10)) this.buf[i] = 48 + (x % 10);
    this.n += digits;
  }

  text(s: string): void {
    this.room(Buffer.byteLength(s));
    this.n += this.buf.write(s, this.n, 'utf8');
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  /** Gives the sink the full chunks (and with `all` the last one), waiting while it asks us to. */
  async handOver(all = false): Promise<void> {
    if (all && this.n > 0) {
      this.full.push(this.buf.subarray(0, this.n));
      this.buf = this.buf.subarray(this.n);
      this.n = 0;
    }
    for (const chunk of this.full.splice(0)) {
      if (!this.out.write(chunk)) await new Promise<void>((r) => this.out.once('drain', r));
      // Written out (to a file at once, to a pipe by its drain): the chunk is ours again.
      if (this.out.writableLength === 0 && chunk.byteOffset === 0 && chunk.buffer.byteLength === CHUNK) this.spare.push(Buffer.from(chunk.buffer, 0, CHUNK));
    }
  }
}

/**
 * The JSON of a mount's fields but its ids and hidden flag, once per distinct
 * set of them: the copies of a table in a hundred namespaces share them (the
 * parser hands every copy the first one's strings and propagation), so most
 * mounts are written with one lookup (by propagation, else by target) and a
 * few identity checks.
 */
class FieldCache {
  private byTarget = new Map<string, Array<{ m: Mount; json: Buffer }>>();
  private byPropagation = new Map<Mount['propagation'], Array<{ m: Mount; json: Buffer }>>();

  json(m: Mount): Buffer {
    // A line's copies share its propagation object, and a mount with peers or a
    // master has one of its own: the first entry there is all but always it.
    const byProp = m.propagation.shared !== null || m.propagation.master !== null;
    let seen = byProp ? this.byPropagation.get(m.propagation) : this.byTarget.get(m.target);
    if (!seen) {
      seen = [];
      if (byProp) this.byPropagation.set(m.propagation, seen);
      else this.byTarget.set(m.target, seen);
    }
    for (const e of seen) {
      const t = e.m;
      if (
        t.target === m.target &&
        t.root === m.root &&
        t.options === m.options &&
        t.fstype === m.fstype &&
        t.source === m.source &&
        t.superOptions === m.superOptions &&
        t.propagation === m.propagation &&
        t.otherFields === m.otherFields &&
        t.major === m.major &&
        t.minor === m.minor
      )
        return e.json;
    }
    const text = JSON.stringify({
      major: m.major,
      minor: m.minor,
      root: m.root,
      target: m.target,
      options: m.options,
      fstype: m.fstype,
      source: m.source,
      superOptions: m.superOptions,
      propagation: m.propagation,
      otherFields: m.otherFields,
    });
    const json = Buffer.from(text.slice(1, -1));
    // A few per target; a stack of thousands on one target would make the scan quadratic.
    if (seen.length < 8) seen.push({ m, json });
    return json;
  }
}

/** A mount as JSON.stringify writes it (the same keys, in the order the parser makes them). */
function mountJson(m: Mount, fields: FieldCache, w: ChunkWriter): void {
  w.ascii('{"id":');
  w.uint(m.id);
  w.ascii(',"parent":');
  w.uint(m.parent);
  w.ascii(',');
  w.bytes(fields.json(m));
  w.ascii(m.hidden ? ',"hidden":true' : ',"hidden":false');
  if (m.rootRaw !== undefined || m.targetRaw !== undefined || m.sourceRaw !== undefined) {
    w.text(
      (m.rootRaw !== undefined ? `,"rootRaw":${JSON.stringify(m.rootRaw)}` : '') +
        (m.targetRaw !== undefined ? `,"targetRaw":${JSON.stringify(m.targetRaw)}` : '') +
        (m.sourceRaw !== undefined ? `,"sourceRaw":${JSON.stringify(m.sourceRaw)}` : ''),
    );
  }
  w.ascii('}');
}

/** A namespace as JSON.stringify writes it, its mounts through the cache. */
function namespaceJson(ns: MountNamespace, fields: FieldCache, w: ChunkWriter): void {
  w.text(
    `{"inode":${ns.inode},"initial":${JSON.stringify(ns.initial)},"readVia":${JSON.stringify(ns.readVia)},"processes":${JSON.stringify(ns.processes)},"holders":${JSON.stringify(ns.holders)},"mounts":[`,
  );
  for (let i = 0; i < ns.mounts.length; i++) {
    if (i) w.ascii(',');
    mountJson(ns.mounts[i], fields, w);
  }
  w.text(`],"findings":${JSON.stringify(ns.findings)},"mountErrors":${JSON.stringify(ns.mountErrors)}${ns.name !== undefined ? `,"name":${JSON.stringify(ns.name)}` : ''}}`);
}

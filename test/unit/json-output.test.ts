import { describe, expect, it } from 'vitest';
import { writeSnapshotJson, type Sink } from '../../src/output/json.js';
import type { Snapshot } from '../../src/model/types.js';
import { parseMountinfoBytes } from '../../src/proc/mountinfo.js';
import { aProcess } from '../helpers/model.js';

const snap: Snapshot = {
  version: 1,
  time: '2026-11-23T01:00:00.000Z',
  namespaces: [
    { inode: 1, initial: true, readVia: 5, processes: [], holders: [], mounts: [], findings: [], mountErrors: [] },
    { inode: 2, initial: false, readVia: null, processes: [], holders: [{ kind: 'fd', pid: 3, fd: 4 }], mounts: [], findings: [], mountErrors: [] },
  ],
  peerGroups: [{ id: 7, members: [{ ns: 1, mount: 9, target: '/x\u001b]0;t\u0007' }], slaves: [] }],
  errors: [{ pid: 1, code: 'EACCES', message: 'm' }],
};

/** A sink that keeps what it is given, as bytes (a chunk may end inside a UTF-8 character). */
function collect(): { sink: Sink; text: () => string } {
  const chunks: Buffer[] = [];
  return { sink: { write: (c) => (chunks.push(Buffer.from(c)), true), once: () => {} }, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('writeSnapshotJson', () => {
  it('waits for drain when the consumer is slow', async () => {
    const chunks: Buffer[] = [];
    let drains = 0;
    const sink = { write: (c: Uint8Array | string) => (chunks.push(Buffer.from(c)), false), once: (_e: 'drain', cb: () => void) => (drains++, setImmediate(cb)) };
    await writeSnapshotJson(snap, sink);
    expect(drains).toBe(chunks.length);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(snap);
  });
  it('streams a document equal to JSON.stringify of the snapshot, compact and pretty', async () => {
    for (const pretty of [false, true]) {
      const out = collect();
      await writeSnapshotJson(snap, out.sink, pretty);
      expect(JSON.parse(out.text())).toEqual(snap);
      expect(out.text().endsWith('\n')).toBe(true);
    }
  });
  it('writes exactly what JSON.stringify writes, for copies of one table sharing their fields and names that are not UTF-8', async () => {
    const seen = new Map();
    const table = (b: number) => `${b} ${b - 1} 8:1 / / rw shared:1 - ext4 /dev/a rw\n${b + 1} ${b} 0:40 /sub /srv\\040x rw master:2 - tmpfs s rw\n${b + 2} ${b} 0:41 / /\xff rw - tmpfs t rw\n`;
    // Keys in the order discovery makes them (snapshot.ts emptyNamespace), as a real snapshot has them.
    const nss = [100, 200, 300].map((b, i) => ({
      inode: b,
      initial: i === 0,
      readVia: b,
      processes: [aProcess(b, b, ['p'])],
      holders: [],
      mounts: parseMountinfoBytes(table(b), undefined, seen).mounts,
      findings: [],
      mountErrors: [],
    }));
    nss[1].mounts[1].hidden = true;
    // One propagation object on two mounts that differ only in their targets (the cache looks them up by it).
    nss[2].mounts[2] = { ...nss[2].mounts[1], id: 999, target: '/elsewhere' };
    // Ids of every length, as digits written straight into the bytes.
    nss[0].mounts[0] = { ...nss[0].mounts[0], id: 0, parent: 9 };
    nss[0].mounts[1] = { ...nss[0].mounts[1], id: 10, parent: 2148035265 };
    nss[0].mounts[2] = { ...nss[0].mounts[2], id: 4294967295, parent: 1e15 };
    Object.assign(nss[2], { name: 'web/nginx-7d9\u001b' });
    const s: Snapshot = { ...snap, namespaces: nss };
    const out = collect();
    await writeSnapshotJson(s, out.sink);
    expect(out.text()).toBe(JSON.stringify(s) + '\n');
  });
  it('escapes control characters (no raw ESC or BEL in the output)', async () => {
    const collected = collect();
    await writeSnapshotJson(snap, collected.sink);
    const out = collected.text();
    expect(out).not.toMatch(/[\u0000-\u001f](?!$)/);
    expect(out).toContain('\\u001b]0;t\\u0007');
  });
  it('writes a document of many megabytes in whole chunks, none ending inside a character', async () => {
    // 600 namespaces of 100 mounts with a two-byte character in every target: the
    // document spans several chunks, and each one is whole UTF-8 (a consumer that
    // decodes chunk by chunk, as many do, reads the same text).
    const seen = new Map();
    const nss = Array.from({ length: 600 }, (_, n) => ({
      inode: 5000 + n,
      initial: n === 0,
      readVia: n + 1,
      processes: [],
      holders: [],
      mounts: parseMountinfoBytes(Array.from({ length: 100 }, (_, i) => `${n * 1000 + i + 2} 1 0:${i} / /d\xc3\xa9${i}/${'x'.repeat(n % 7)} rw - tmpfs t rw\n`).join(''), undefined, seen).mounts,
      findings: [],
      mountErrors: [],
    }));
    const s: Snapshot = { ...snap, namespaces: nss };
    const expected = JSON.stringify(s) + '\n';
    // Kept as given, as a stream that has not written them yet does: never filled again.
    for (const writableLength of [undefined, 1 << 20]) {
      const chunks: Uint8Array[] = [];
      await writeSnapshotJson(s, { write: (c) => (chunks.push(c as Uint8Array), true), once: () => {}, writableLength });
      expect(chunks.length).toBeGreaterThan(3);
      for (const c of chunks) expect(Buffer.from(Buffer.from(c).toString('utf8')).equals(c)).toBe(true);
      expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    }
    // Written out at once (a file): the next chunk is filled into the same memory.
    const copies: Buffer[] = [];
    const memory = new Set<ArrayBufferLike>();
    await writeSnapshotJson(s, { write: (c) => (copies.push(Buffer.from(c as Uint8Array)), memory.add((c as Uint8Array).buffer), true), once: () => {}, writableLength: 0 });
    expect(Buffer.concat(copies).toString('utf8')).toBe(expected);
    expect(memory.size).toBeLessThan(copies.length);
  });
});

import { describe, expect, it } from 'vitest';
import { writeSnapshotJson } from '../../src/output/json.js';
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

describe('writeSnapshotJson', () => {
  it('waits for drain when the consumer is slow', async () => {
    const chunks: string[] = [];
    let drains = 0;
    const sink = { write: (c: string) => (chunks.push(c), false), once: (_e: 'drain', cb: () => void) => (drains++, setImmediate(cb)) };
    await writeSnapshotJson(snap, sink);
    expect(drains).toBe(chunks.length);
    expect(JSON.parse(chunks.join(''))).toEqual(snap);
  });
  it('streams a document equal to JSON.stringify of the snapshot, compact and pretty', async () => {
    for (const pretty of [false, true]) {
      let out = '';
      await writeSnapshotJson(snap, { write: (c) => ((out += c), true), once: () => {} }, pretty);
      expect(JSON.parse(out)).toEqual(snap);
      expect(out.endsWith('\n')).toBe(true);
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
    Object.assign(nss[2], { name: 'web/nginx-7d9\u001b' });
    const s: Snapshot = { ...snap, namespaces: nss };
    let out = '';
    await writeSnapshotJson(s, { write: (c) => ((out += c), true), once: () => {} });
    expect(out).toBe(JSON.stringify(s) + '\n');
  });
  it('escapes control characters (no raw ESC or BEL in the output)', async () => {
    let out = '';
    await writeSnapshotJson(snap, { write: (c) => ((out += c), true), once: () => {} });
    expect(out).not.toMatch(/[\u0000-\u001f](?!$)/);
    expect(out).toContain('\\u001b]0;t\\u0007');
  });
});

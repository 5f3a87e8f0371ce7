import { describe, expect, it } from 'vitest';
import { writeSnapshotJson } from '../../src/output/json.js';
import type { Snapshot } from '../../src/model/types.js';

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
  it('escapes control characters (no raw ESC or BEL in the output)', async () => {
    let out = '';
    await writeSnapshotJson(snap, { write: (c) => ((out += c), true), once: () => {} });
    expect(out).not.toMatch(/[\u0000-\u001f](?!$)/);
    expect(out).toContain('\\u001b]0;t\\u0007');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSnapshotText, readSnapshotFile } from '../../src/discover/snapshot-file.js';
import type { Snapshot } from '../../src/model/types.js';
import { aNamespace, aProcess } from '../helpers/model.js';

const snap: Snapshot = {
  version: 1,
  time: '2026-12-01T10:00:00.000Z',
  namespaces: [aNamespace(10, [aProcess(1, 10, ['init'])], '1 0 8:1 / / rw shared:1 - ext4 /dev/a rw\n')],
  peerGroups: [],
  errors: [],
};
const text = JSON.stringify(snap);
const dir = mkdtempSync(`${tmpdir()}/mntns-snapfile.`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a snapshot file', () => {
  it('reads back what --json wrote', () => {
    writeFileSync(`${dir}/s.json`, text);
    expect(readSnapshotFile(`${dir}/s.json`)).toEqual({ snapshot: snap, origin: { file: `${dir}/s.json`, time: snap.time } });
  });
  it('says in one line what is wrong: missing, empty, truncated, another version, not a snapshot, a broken mount', () => {
    expect(() => readSnapshotFile(`${dir}/nope.json`)).toThrow(`cannot read ${dir}/nope.json: ENOENT`);
    expect(() => parseSnapshotText('', 'f')).toThrow('f: empty');
    expect(() => parseSnapshotText(text.slice(0, 100), 'f')).toThrow(/^f: truncated or not JSON \(/);
    expect(() => parseSnapshotText('{"version":2}', 'f')).toThrow('f: snapshot version 2; this mntns reads version 1');
    expect(() => parseSnapshotText('[1,2]', 'f')).toThrow('f: not a mntns snapshot (not a JSON object)');
    expect(() => parseSnapshotText('{"hello":1}', 'f')).toThrow('f: not a mntns snapshot (no "version")');
    const bad = JSON.parse(text);
    bad.namespaces[0].mounts[0].propagation.shared = 'x';
    expect(() => parseSnapshotText(JSON.stringify(bad), 'f')).toThrow('f: namespaces[0].mounts[0] is not a mount');
    const badProc = JSON.parse(text);
    badProc.namespaces[0].processes[0].cmdline = [1];
    expect(() => parseSnapshotText(JSON.stringify(badProc), 'f')).toThrow('f: namespaces[0].processes[0] is not a process');
  });
});

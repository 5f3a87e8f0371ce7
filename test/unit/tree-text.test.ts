import { describe, expect, it } from 'vitest';
import { renderTree } from '../../src/output/tree-text.js';
import type { Snapshot } from '../../src/model/types.js';
import { aNamespace, aProcess } from '../helpers/model.js';

const secret = aProcess(42, 10, ['backend', '--config', '{"token":"hunter2"}']);
const snap: Snapshot = {
  version: 1,
  time: '',
  namespaces: [aNamespace(10, [aProcess(1, 10, ['/sbin/init']), secret], '1 0 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n2 1 8:1 /srv/sub /data rw master:1 - ext4 /dev/sda1 rw\n')],
  peerGroups: [],
  errors: [],
};

describe('--tree', () => {
  it("shows each process's program, not its whole command line (it can hold secrets); --verbose shows it", () => {
    const t = renderTree(snap, false);
    expect(t).toContain('     42 backend         backend … (2 arguments)');
    expect(t).not.toContain('hunter2');
    expect(renderTree(snap, false, { verbose: true })).toContain('backend --config {"token":"hunter2"}');
  });
  it('writes findmnt-like columns: SOURCE with the fs root in brackets; -o picks and orders them; --list drops the tree', () => {
    const t = renderTree(snap, false).split('\n');
    expect(t.find((l) => l.startsWith('TARGET'))).toMatch(/^TARGET +FSTYPE +SOURCE +PROPAGATION$/);
    expect(t.find((l) => l.includes('/data'))).toMatch(/^└─\/data +ext4 +\/dev\/sda1\[\/srv\/sub\] +master:1$/);
    const o = renderTree(snap, false, { columns: ['ID', 'PARENT', 'MAJ:MIN', 'TARGET'], list: true }).split('\n');
    expect(o.find((l) => l.startsWith('ID'))).toMatch(/^ID +PARENT +MAJ:MIN +TARGET$/);
    expect(o.find((l) => l.endsWith('/data'))).toMatch(/^2 +1 +8:1 +\/data$/);
  });
  it('colours only the propagation tags, and pads a coloured column that is not the last', () => {
    const c = renderTree(snap, true, { columns: ['PROPAGATION', 'TARGET'], list: true }).split('\n');
    const row = c.find((l) => l.endsWith('/data'))!;
    expect(row.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/^master:1 +\/data$/);
    expect(row).toMatch(/\x1b\[/);
  });
});

import { describe, expect, it } from 'vitest';
import { findEverywhere, parseWhereQuery } from '../../src/model/where.js';
import type { Snapshot } from '../../src/model/types.js';
import { aNamespace, aProcess } from '../helpers/model.js';

const data = '1 0 8:1 / / rw - ext4 /dev/sda1 rw\n5 1 0:40 / /srv/data rw shared:3 - tmpfs data rw\n';
const host = aNamespace(10, [aProcess(1, 10, ['init'])], data);
const box = aNamespace(20, [aProcess(200, 20, ['nginx'])], '1 0 0:60 / / rw - overlay overlay rw\n9 1 0:40 /sub /data rw master:3 - tmpfs data rw\n', { initial: false });
const pinned = aNamespace(30, [], data, { initial: false, holders: [{ kind: 'bind', path: '/run/pin', ns: 10 }] });
const snap: Snapshot = { version: 1, time: '', namespaces: [host, box, pinned], peerGroups: [], errors: [] };

describe('where', () => {
  it('reads MAJ:MIN as a device, a path without its trailing slash, anything else as it is', () => {
    expect(parseWhereQuery('0:40')).toEqual({ kind: 'device', major: 0, minor: 40, text: '0:40' });
    expect(parseWhereQuery('/srv/data/')).toEqual({ kind: 'name', text: '/srv/data' });
    expect(parseWhereQuery('/')).toEqual({ kind: 'name', text: '/' });
    expect(parseWhereQuery('overlay')).toEqual({ kind: 'name', text: 'overlay' });
  });
  it('finds a mount point, a source and a device in every namespace, with who holds each', () => {
    const byTarget = findEverywhere(snap, parseWhereQuery('/srv/data'));
    expect(byTarget.map((h) => [h.ns.inode, h.mounts.map((m) => [m.mount.id, m.match])])).toEqual([
      [10, [[5, 'target']]],
      [30, [[5, 'target']]],
    ]);
    expect(byTarget[1].holders).toEqual([{ kind: 'bind', path: '/run/pin', ns: 10 }]);
    expect(findEverywhere(snap, parseWhereQuery('data')).map((h) => h.ns.inode)).toEqual([10, 20, 30]);
    const byDev = findEverywhere(snap, parseWhereQuery('0:40'));
    expect(byDev.map((h) => [h.ns.inode, h.mounts[0].mount.target, h.mounts[0].match])).toEqual([
      [10, '/srv/data', 'device'],
      [20, '/data', 'device'],
      [30, '/srv/data', 'device'],
    ]);
    expect(byDev[1].processes.map((p) => p.comm)).toEqual(['nginx']);
    expect(findEverywhere(snap, parseWhereQuery('/nowhere'))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { crossingMounts, foldLinks, foldPaths, linksOf } from '../../src/model/propagation-map.js';
import { linkPeerGroups } from '../../src/model/peer-groups.js';
import { aNamespace, aProcess } from '../helpers/model.js';

// A host whose / is shared (group 1) and /srv shared (group 2); a peer copy of
// it; three slave copies (systemd service namespaces); and a private one.
const host = aNamespace(1, [aProcess(1, 1, ['init'])], '1 0 8:1 / / rw shared:1 - ext4 /dev/a rw\n2 1 0:40 / /srv rw shared:2 - tmpfs s rw\n');
const peer = aNamespace(2, [aProcess(20, 2, ['box'])], '11 0 8:1 / / rw shared:1 - ext4 /dev/a rw\n12 11 0:40 / /srv rw shared:2 - tmpfs s rw\n', { initial: false });
const slave = (inode: number) =>
  aNamespace(inode, [aProcess(inode * 10, inode, ['svc'])], `${inode}1 0 8:1 / / rw master:1 - ext4 /dev/a rw\n${inode}2 ${inode}1 0:40 / /srv rw master:2 - tmpfs s rw\n`, { initial: false });
const lonely = aNamespace(9, [aProcess(90, 9, ['priv'])], '91 0 8:1 / / rw - ext4 /dev/a rw\n', { initial: false });
const all = [host, peer, slave(5), slave(6), slave(7), lonely];
const index = linkPeerGroups(all);

describe('the propagation map', () => {
  it('links a namespace to its peers (both ways), the slaves it sends to and whom it receives from', () => {
    const links = linksOf(index, 1);
    expect(links.map((l) => [l.kind, l.ns, l.groups])).toEqual([
      ['peer', 2, [1, 2]],
      ['sends', 5, [1, 2]],
      ['sends', 6, [1, 2]],
      ['sends', 7, [1, 2]],
    ]);
    expect(links[0].mounts.map((m) => [m.group, m.here.mount, m.there.mount])).toEqual([
      [1, 1, 11],
      [2, 2, 12],
    ]);
    expect(linksOf(index, 5).map((l) => [l.kind, l.ns])).toEqual([
      ['receives', 1],
      ['receives', 2],
    ]);
    expect(linksOf(index, 9)).toEqual([]);
  });
  it('folds neighbours that read the same: the three slave copies are one row', () => {
    const folds = foldLinks(linksOf(index, 1));
    expect(folds.map((f) => [f.kind, f.links.map((l) => l.ns)])).toEqual([
      ['peer', [2]],
      ['sends', [5, 6, 7]],
    ]);
    expect(foldPaths(folds[1])).toEqual(['/', '/srv']);
  });
  it('has exactly the edges the peer groups say, from both ends', () => {
    // Every peer link is seen from both namespaces; every sends link is a receives link from the other end.
    for (const ns of all) {
      for (const l of linksOf(index, ns.inode)) {
        const back = linksOf(index, l.ns).find((x) => x.ns === ns.inode);
        expect(back?.kind).toBe(l.kind === 'peer' ? 'peer' : l.kind === 'sends' ? 'receives' : 'sends');
        expect(back?.groups).toEqual(l.groups);
      }
    }
  });
});

describe('the rest of the map', () => {
  it('counts, per namespace, its mounts in a peer group that crosses to another namespace', () => {
    expect(Object.fromEntries(crossingMounts(index))).toEqual({ 1: 2, 2: 2, 5: 2, 6: 2, 7: 2 });
  });
});

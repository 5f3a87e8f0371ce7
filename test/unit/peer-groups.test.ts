import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { indexOfGroups, linkPeerGroups, namespacesOf, receivesFrom, sendsTo, sortedGroups } from '../../src/model/peer-groups.js';
import { indexSnapshot } from '../../src/ui/view-model.js';

const ns = (inode: number, lines: string[]) => ({ inode, mounts: parseMountinfo(lines.join('\n')).mounts });

// Host shares /data (group 5); container A copied it (peer); service B is a slave that
// is itself shared (group 7) with C as its peer; D is a slave of 7.
const host = ns(1, ['10 1 0:9 / /data rw shared:5 - tmpfs d rw']);
const a = ns(2, ['20 1 0:9 / /data rw shared:5 - tmpfs d rw']);
const b = ns(3, ['30 1 0:9 / /data rw shared:7 master:5 - tmpfs d rw']);
const c = ns(4, ['40 1 0:9 / /data rw shared:7 master:5 - tmpfs d rw']);
const d = ns(5, ['50 1 0:9 / /data rw master:7 - tmpfs d rw']);
const p = ns(6, ['60 1 0:9 / /data rw - tmpfs d rw']);
const index = linkPeerGroups([host, a, b, c, d, p]);

describe('linkPeerGroups', () => {
  it('collects members and direct slaves across namespaces', () => {
    expect(sortedGroups(index).map((g) => [g.id, g.members.map((m) => m.ns), g.slaves.map((s) => s.ns)])).toEqual([
      [5, [1, 2], [3, 4]],
      [7, [3, 4], [5]],
    ]);
    expect(index.masterOf.get(7)).toBe(5);
  });
});

describe('indexOfGroups', () => {
  it("gives the view the index a sorted list came from, through a registry any bundle's copy of the module shares", () => {
    const list = sortedGroups(index);
    expect(indexOfGroups(list)).toBe(index);
    // A filtered copy (--pid's) is not that index's list: the view links its own.
    expect(indexOfGroups(list.filter((g) => g.id === 5))).toBeUndefined();
    // The registry is the process's, not this module instance's (the view is bundled apart).
    const registry = (globalThis as Record<symbol, WeakMap<object, unknown>>)[Symbol.for('mntns.propagation-indexes')];
    expect(registry.get(list)).toBe(index);
  });
  it("the view takes the watcher's index instead of linking again, and links itself for any other list", () => {
    const namespaces = [host, a, b, c, d, p].map((n) => ({ ...n, initial: false, readVia: null, processes: [], holders: [], findings: [], mountErrors: [] }));
    const linked = linkPeerGroups(namespaces);
    const snap = { version: 1 as const, time: '', namespaces, peerGroups: sortedGroups(linked), errors: [] };
    expect(indexSnapshot(snap).propagation).toBe(linked);
    const fromFile = { ...snap, peerGroups: JSON.parse(JSON.stringify(snap.peerGroups)) as typeof snap.peerGroups };
    const own = indexSnapshot(fromFile).propagation;
    expect(own).not.toBe(linked);
    expect(own).toEqual(linked);
  });
});

describe('sendsTo / receivesFrom', () => {
  it('a host mount sends to its peers, their slaves, and onward through shared slaves', () => {
    expect(namespacesOf(sendsTo(index, 1, host.mounts[0]), 1)).toEqual([2, 3, 4, 5]);
  });
  it('a shared slave sends to its own peers and slaves only, never up to its master', () => {
    expect(namespacesOf(sendsTo(index, 3, b.mounts[0]), 3)).toEqual([4, 5]);
  });
  it('a pure slave sends nowhere and receives from the whole chain above', () => {
    expect(sendsTo(index, 5, d.mounts[0])).toEqual([]);
    expect(namespacesOf(receivesFrom(index, 5, d.mounts[0])).sort()).toEqual([1, 2, 3, 4]);
  });
  it('a private mount neither sends nor receives', () => {
    expect(sendsTo(index, 6, p.mounts[0])).toEqual([]);
    expect(receivesFrom(index, 6, p.mounts[0])).toEqual([]);
  });
});

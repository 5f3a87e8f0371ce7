import { describe, expect, it } from 'vitest';
import { compareMounts } from '../../src/model/compare.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';

const table = (...lines: string[]) => parseMountinfo(lines.join('\n')).mounts;

describe('compareMounts', () => {
  it('matches by target, never by id, and says which fields differ', () => {
    const host = table('1 0 8:1 / / rw shared:1 - ext4 /dev/sda1 rw', '20 1 0:40 / /srv rw shared:5 - tmpfs srv rw', '21 1 0:41 / /only-host rw - tmpfs h rw');
    const box = table('901 900 0:60 / / rw master:1 - overlay overlay rw,lowerdir=/l', '902 901 0:40 / /srv ro shared:5 - tmpfs srv rw', '903 901 0:61 / /only-box rw - tmpfs b rw');
    const d = compareMounts(host, box);
    expect(d.onlyA.map((m) => m.target)).toEqual(['/only-host']);
    expect(d.onlyB.map((m) => m.target)).toEqual(['/only-box']);
    expect(d.changed.map((c) => [c.target, c.fields])).toEqual([
      ['/', ['source', 'fstype', 'superOptions', 'propagation']],
      ['/srv', ['options']],
    ]);
    expect(d.same).toBe(0);
    expect(compareMounts(host, host)).toEqual({ onlyA: [], onlyB: [], changed: [], same: 3 });
  });
  it('pairs a stack on one target by fs root, then by source; the rest is only on one side', () => {
    const a = table('1 0 8:1 / / rw - ext4 /dev/a rw', '2 1 8:1 /x /data rw - ext4 /dev/a rw', '3 2 0:50 / /data rw - tmpfs t1 rw', '4 3 0:51 / /data rw - tmpfs t2 rw');
    const b = table('7 0 8:1 / / rw - ext4 /dev/a rw', '8 7 0:51 / /data rw - tmpfs t2 rw', '9 8 8:1 /x /data ro - ext4 /dev/a rw');
    const d = compareMounts(a, b);
    // /x pairs with /x (options differ), t2 with t2; t1 has no partner.
    expect(d.changed.map((c) => [c.a.id, c.b.id, c.fields])).toEqual([[2, 9, ['options']]]);
    expect(d.onlyA.map((m) => m.source)).toEqual(['t1']);
    expect(d.onlyB).toEqual([]);
    expect(d.same).toBe(2);
  });
  it('pairs the one mount left on each side of a target, whatever its root', () => {
    const d = compareMounts(table('1 0 8:1 / / rw - ext4 /dev/a rw', '2 1 8:1 /old /srv rw - ext4 /dev/a rw'), table('1 0 8:1 / / rw - ext4 /dev/a rw', '2 1 8:1 /new /srv rw - ext4 /dev/a rw'));
    expect(d.changed.map((c) => c.fields)).toEqual([['root']]);
  });
  it('leaves propagate_from out: it depends on who reads the table', () => {
    const d = compareMounts(table('1 0 8:1 / / rw master:2 - ext4 /dev/a rw'), table('5 0 8:1 / / rw master:2 propagate_from:1 - ext4 /dev/a rw'));
    expect(d.same).toBe(1);
  });
});

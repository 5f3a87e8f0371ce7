import { describe, expect, it } from 'vitest';
import { displayWidth, elidePath, keepEnd } from '../../src/format/width.js';
import { mountColumns, tagsWanted } from '../../src/ui/components/MountPane.js';
import { flattenTree } from '../../src/format/tree-lines.js';
import { buildMountTree } from '../../src/model/mount-tree.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';

describe('paths cut in the middle', () => {
  const p = '/tmp/mntns-tui-lab.I3z9Qf/host-root/mnt/live1';
  it('keep the first component and as many of the last as fit: the end tells mounts apart', () => {
    expect(elidePath(p, 100)).toBe(p);
    expect(elidePath(p, 30)).toBe('/tmp/…/host-root/mnt/live1');
    expect(elidePath(p, 20)).toBe('/tmp/…/mnt/live1');
    expect(elidePath('/tmp/mntns-tui-lab.I3z9Qf/host-root/mnt/live2', 20)).toBe('/tmp/…/mnt/live2');
    for (const w of [5, 10, 20, 30, 45]) expect(displayWidth(elidePath(p, w))).toBeLessThanOrEqual(w);
  });
  it('fall back to the end when not even the last component fits beside the first', () => {
    expect(elidePath('/a-very-long-first-component/live1', 12)).toBe('…onent/live1');
    expect(elidePath('/x/averyveryverylongname', 8)).toBe('…ongname');
    expect(keepEnd('/x/日本語のなまえ', 7)).toBe('…なまえ');
    expect(displayWidth(keepEnd('/x/日本語のなまえ', 7))).toBe(7);
  });
});

describe('the mount pane columns', () => {
  const rows = flattenTree(buildMountTree(parseMountinfo('1 0 8:1 / / rw shared:1 - ext4 /dev/a rw\n2 1 0:40 / /srv rw shared:17 master:6 - tmpfs s rw\n').mounts));
  it('give the propagation tags what they need before SOURCE gets any', () => {
    expect(tagsWanted(rows)).toBe('shared:17 master:6 '.length);
    const c = mountColumns(100, tagsWanted(rows));
    expect(c.tags).toBeGreaterThanOrEqual('shared:17 master:6 '.length);
    expect(c.target + c.fstype + c.source + c.tags + 2 + 1 + (c.fstype ? 1 : 0) + (c.source ? 1 : 0)).toBeLessThanOrEqual(100);
    // A narrow pane drops SOURCE rather than squeezing the target under 24 columns.
    const n = mountColumns(62, 40);
    expect(n.source).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { displayWidth, elideMiddle, elidePath, keepEnd, sliceColumns } from '../../src/format/width.js';
import { mountColumns, relativeName, rowName, tagsWanted, targetsById, wideColumns } from '../../src/ui/components/MountPane.js';
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

describe('whole lines, scrolled (Shift+→)', () => {
  it('a window of columns across parts, ASCII and wide characters alike', () => {
    expect(sliceColumns(['abc', 'def', 'gh'], 2, 4)).toEqual(['c', 'def', '']);
    expect(sliceColumns(['abc'], 5, 4)).toEqual(['']);
    // 日 and 本 take two columns each: cut by an edge, a wide character becomes spaces, so what follows stays put.
    expect(sliceColumns(['a日本b'], 2, 3)).toEqual([' 本']);
    expect(sliceColumns(['a日本b'], 0, 2)).toEqual(['a ']);
    expect(sliceColumns(['a日本b', 'x'], 3, 3)).toEqual(['本b', '']);
    for (let from = 0; from < 8; from++) expect(displayWidth(sliceColumns(['a日本b', 'xy'], from, 3).join(''))).toBe(Math.max(0, Math.min(3, 8 - from)));
  });
  it('names a mount relative to its parent where it lies below it, else whole', () => {
    expect(relativeName('/srv/a/b', '/srv')).toBe('a/b');
    expect(relativeName('/proc', '/')).toBe('proc');
    expect(relativeName('/srv2/x', '/srv')).toBe('/srv2/x');
    expect(relativeName('/srv', '/srv')).toBe('/srv'); // a stack: the same path
    expect(relativeName('/x', undefined)).toBe('/x');
  });
  it('measures the whole lines of a tree: each column as wide as its widest cell', () => {
    const { mounts } = parseMountinfo(['1 0 8:1 / / rw shared:1 - ext4 /dev/sda rw', '2 1 0:20 /sub /srv/some/where rw shared:7 master:3 - tmpfs a-long-source rw'].join('\n'));
    const rows = flattenTree(buildMountTree(mounts));
    const whole = wideColumns(rows, null);
    expect(whole).toMatchObject({ target: '└─/srv/some/where'.length, source: 'a-long-source[/sub]'.length, tags: 'shared:7 master:3 '.length });
    expect(whole.line).toBe(2 + whole.target + 1 + whole.fstype + 1 + whole.source + 1 + whole.tags);
    const targets = targetsById(rows);
    expect(rows.map((r) => rowName(r, targets))).toEqual(['/', 'srv/some/where']);
    expect(wideColumns(rows, targets).target).toBe('└─srv/some/where'.length);
  });
});

describe('names cut in the middle', () => {
  it('keep their start and their end', () => {
    expect(elideMiddle('lab:container-leaks', 12)).toBe('lab:co…leaks');
    expect(elideMiddle('lab:container-fixed', 12)).toBe('lab:co…fixed');
    expect(elideMiddle('short', 12)).toBe('short');
    expect(elideMiddle('abc', 1)).toBe('…');
    for (let w = 1; w < 20; w++) expect(displayWidth(elideMiddle('kube-system/coredns-5d78c9869d-abcde/coredns', w))).toBeLessThanOrEqual(w);
    expect(displayWidth(elideMiddle('日本語のコンテナ名', 7))).toBeLessThanOrEqual(7);
  });
});

import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { buildMountTree, markHidden } from '../../src/model/mount-tree.js';
import { flattenTree } from '../../src/format/tree-lines.js';

function table(lines: string[]) {
  const { mounts } = parseMountinfo(lines.join('\n'));
  const tree = buildMountTree(mounts);
  markHidden(tree);
  return { mounts, tree, hidden: (id: number) => tree.byId.get(id)!.hidden };
}

describe('markHidden', () => {
  it('hides a stacked mount and its children, not the mount on top', () => {
    const t = table([
      '1 0 8:1 / / rw - ext4 /dev/a rw',
      '2 1 0:2 / /mnt rw - tmpfs lower rw',
      '3 2 0:3 / /mnt/sub rw - tmpfs sub rw',
      '4 2 0:4 / /mnt rw - tmpfs upper rw',
      '5 4 0:5 / /mnt/x rw - tmpfs x rw',
    ]);
    expect([1, 2, 3, 4, 5].map(t.hidden)).toEqual([false, true, true, false, false]);
  });
  it('hides a mount covered by a later mount on an ancestor path', () => {
    const t = table(['1 0 8:1 / / rw - ext4 /dev/a rw', '2 1 0:2 / /a/b rw - tmpfs t rw', '3 1 0:3 / /a rw - tmpfs t rw']);
    expect([1, 2, 3].map(t.hidden)).toEqual([false, true, false]);
  });
  it('hides what sits on a covered mount, even through a stack', () => {
    const t = table([
      '1 0 8:1 / / rw - ext4 /dev/a rw',
      '2 1 0:2 / /a/b rw - tmpfs t rw',
      '3 2 0:3 / /a/b rw - tmpfs t rw',
      '4 1 0:4 / /a rw - tmpfs t rw',
    ]);
    expect([1, 2, 3, 4].map(t.hidden)).toEqual([false, true, true, false]);
  });
  it('treats mounts whose parent is absent as roots (chroot readers)', () => {
    const t = table(['64 63 0:40 / /a rw shared:1 - tmpfs a rw', '66 63 0:40 / /c rw master:2 - tmpfs a rw']);
    expect(t.tree.roots.map((m) => m.id)).toEqual([64, 66]);
  });
});

describe('flattenTree', () => {
  const t = table([
    '1 0 8:1 / / rw - ext4 /dev/a rw',
    '2 1 0:2 / /a rw - tmpfs t rw',
    '3 2 0:3 / /a/x rw - tmpfs t rw',
    '4 1 0:4 / /b rw - tmpfs t rw',
  ]);
  it('draws findmnt connectors', () => {
    expect(flattenTree(t.tree).map((r) => r.prefix + r.mount.target)).toEqual(['/', '├─/a', '│ └─/a/x', '└─/b']);
  });
  it('skips the children of folded mounts', () => {
    const rows = flattenTree(t.tree, new Set([2]));
    expect(rows.map((r) => r.mount.id)).toEqual([1, 2, 4]);
    expect(rows[1].folded).toBe(true);
  });
  it('handles a 50,000-deep chain without recursion', () => {
    const lines = ['1 0 8:1 / / rw - ext4 /dev/a rw'];
    // Each mount on its parent: a pathological chain (targets kept short).
    for (let i = 2; i < 50_000; i++) lines.push(`${i} ${i - 1} 0:2 / /m${i} rw - tmpfs t rw`);
    const { tree } = table(lines);
    expect(flattenTree(tree).length).toBe(49_999);
  });
});

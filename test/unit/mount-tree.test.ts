import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { appendedHidden, buildMountTree, hiddenIds, markHidden, removedPlain } from '../../src/model/mount-tree.js';
import type { Mount } from '../../src/model/types.js';
import { DRAWN_LEVELS, flattenTree } from '../../src/format/tree-lines.js';

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
    const t = table(['1 0 8:1 / / rw - ext4 /dev/a rw', '2 1 0:2 / /a/b rw - tmpfs t rw', '3 2 0:3 / /a/b rw - tmpfs t rw', '4 1 0:4 / /a rw - tmpfs t rw']);
    expect([1, 2, 3, 4].map(t.hidden)).toEqual([false, true, true, false]);
  });
  it('treats mounts whose parent is absent as roots (chroot readers)', () => {
    const t = table(['64 63 0:40 / /a rw shared:1 - tmpfs a rw', '66 63 0:40 / /c rw master:2 - tmpfs a rw']);
    expect(t.tree.roots.map((m) => m.id)).toEqual([64, 66]);
  });
});

describe('flattenTree', () => {
  const t = table(['1 0 8:1 / / rw - ext4 /dev/a rw', '2 1 0:2 / /a rw - tmpfs t rw', '3 2 0:3 / /a/x rw - tmpfs t rw', '4 1 0:4 / /b rw - tmpfs t rw']);
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
    const rows = flattenTree(tree);
    expect(rows.length).toBe(49_999);
    // Memory linear in the table: no prefix is longer than the levels drawn, and
    // a deep row says it was cut (it keeps its real depth).
    expect(Math.max(...rows.slice(0, 100).map((r) => r.prefix.length), ...rows.slice(-100).map((r) => r.prefix.length))).toBeLessThanOrEqual(2 * DRAWN_LEVELS + 2);
    let total = 0;
    for (const r of rows) total += r.prefix.length;
    expect(total).toBeLessThanOrEqual(rows.length * (2 * DRAWN_LEVELS + 2));
    expect(rows[20].prefix).toBe(`${'  '.repeat(19)}└─`);
    const deep = rows.at(-1)!;
    expect(deep.depth).toBe(49_998);
    expect(deep.prefix).toBe(`…${' '.repeat(2 * DRAWN_LEVELS - 1)}└─`);
  });
});

describe("appendedHidden (the watcher's shortcut for mounts appended to a table)", () => {
  // A small seeded generator (mulberry32): the same cases every run.
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const PATHS = ['/', '/a', '/a/b', '/a/b/c', '/a/bc', '/b', '/b/a', '/c'];
  const mount = (id: number, parent: number, target: string): Mount => ({
    id,
    parent,
    major: 0,
    minor: id,
    root: '/',
    target,
    options: 'rw',
    fstype: 'tmpfs',
    source: 't',
    superOptions: 'rw',
    propagation: { shared: null, master: null, propagateFrom: null, unbindable: false },
    otherFields: [],
    hidden: false,
  });

  it('agrees with a full recomputation whenever it answers, on 20,000 random tables (stacks, covers, reused ids)', () => {
    const r = rng(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    let answered = 0;
    for (let c = 0; c < 20_000; c++) {
      const table = [mount(1, 0, '/')];
      for (let id = 2; id < 2 + Math.floor(r() * 8); id++) table.push(mount(id, pick(table).id, pick(PATHS)));
      markHidden(buildMountTree(table));
      const added: Mount[] = [];
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const all = [...table, ...added];
        const id = r() < 0.1 ? pick(all).id : 100 + k; // now and then an id still in use
        const parent = r() < 0.05 ? 99 : pick(all).id; // now and then a parent not in the table
        added.push(mount(id, parent, pick(PATHS)));
      }
      const before = table.map((m) => m.hidden);
      const flags = appendedHidden(table, added);
      expect(table.map((m) => m.hidden)).toEqual(before); // touches nothing
      if (!flags) continue;
      answered++;
      const full = [...table, ...added];
      const hidden = hiddenIds(buildMountTree(full));
      expect(flags).toEqual(added.map((m) => hidden.has(m.id)));
      expect(table.map((m) => hidden.has(m.id))).toEqual(before); // nobody else changed
    }
    expect(answered).toBeGreaterThan(2_000); // the shortcut was taken, often
  });

  it('removedPlain: whenever it says a removal changes no one else, a full recomputation agrees (20,000 random tables)', () => {
    const r = rng(11);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    let plain = 0;
    let refused = 0;
    for (let c = 0; c < 20_000; c++) {
      const table = [mount(1, 0, '/')];
      for (let id = 2; id < 2 + Math.floor(r() * 8); id++) table.push(mount(id, pick(table).id, pick(PATHS)));
      const before = hiddenIds(buildMountTree(table));
      const removed = [...new Set(Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(table.slice(1))))].filter(Boolean);
      if (!removed.length) continue;
      const kept = table.filter((m) => !removed.includes(m));
      if (!removedPlain(table, removed)) {
        refused++;
        continue;
      }
      plain++;
      const after = hiddenIds(buildMountTree(kept));
      expect(kept.map((m) => after.has(m.id))).toEqual(kept.map((m) => before.has(m.id)));
    }
    expect(plain).toBeGreaterThan(2_000);
    expect(refused).toBeGreaterThan(2_000);
  });

  it('removedPlain refuses an overmount taken off, a cover taken off and a parent taken from its child', () => {
    const table = [mount(1, 0, '/'), mount(2, 1, '/a'), mount(3, 2, '/a'), mount(4, 1, '/b'), mount(5, 1, '/b/c'), mount(6, 1, '/d'), mount(7, 6, '/d/e')];
    expect(removedPlain(table, [table[2]])).toBe(false); // 3 sat on 2's target: 2 is in view again
    expect(removedPlain(table, [table[3]])).toBe(false); // 4 covered /b/c
    expect(removedPlain(table, [table[5]])).toBe(false); // 7 would be left without its parent
    expect(removedPlain(table, [table[5], table[6]])).toBe(true); // a lazy umount of both
    expect(removedPlain(table, [table[4]])).toBe(true);
  });

  it('declines an overmount, a mount covering a sibling, a reused id and an unknown parent', () => {
    const table = [mount(1, 0, '/'), mount(2, 1, '/a'), mount(3, 1, '/b/c')];
    expect(appendedHidden(table, [mount(4, 2, '/a')])).toBeNull(); // on its parent's target
    expect(appendedHidden(table, [mount(4, 1, '/b')])).toBeNull(); // covers /b/c
    expect(appendedHidden(table, [mount(3, 1, '/x')])).toBeNull(); // id 3 still listed
    expect(appendedHidden(table, [mount(4, 9, '/x')])).toBeNull();
    expect(appendedHidden(table, [mount(4, 1, '/a/x')])).toEqual([true]); // under sibling /a: covered
    expect(appendedHidden(table, [mount(4, 2, '/a/x'), mount(5, 4, '/a/x/y')])).toEqual([false, false]);
  });
});

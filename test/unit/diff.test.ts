import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { diffMounts, isEmptyDiff } from '../../src/model/diff.js';

const t = (...lines: string[]) => parseMountinfo(lines.join('\n')).mounts;
const root = '1 0 8:1 / / rw - ext4 /dev/a rw';

describe('diffMounts', () => {
  it('sees nothing when nothing changed', () => {
    expect(isEmptyDiff(diffMounts(t(root, '2 1 0:5 / /x rw - tmpfs x rw'), t(root, '2 1 0:5 / /x rw - tmpfs x rw')))).toBe(true);
  });
  it('reports a mount and an umount', () => {
    const d = diffMounts(t(root, '2 1 0:5 / /x rw - tmpfs x rw'), t(root, '3 1 0:6 / /y rw - tmpfs y rw'));
    expect(d.added.map((m) => m.target)).toEqual(['/y']);
    expect(d.removed.map((m) => m.target)).toEqual(['/x']);
  });
  it('reports a propagation or option change with the state before', () => {
    const d = diffMounts(t(root, '2 1 0:5 / /x rw shared:3 - tmpfs x rw'), t(root, '2 1 0:5 / /x ro - tmpfs x rw'));
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0].before.propagation.shared).toBe(3);
    expect(d.changed[0].after.propagation.shared).toBeNull();
    expect(d.changed[0].after.options).toBe('ro');
  });
  it('treats a reused id with another mount behind it as umount + mount', () => {
    const d = diffMounts(t(root, '2 1 0:5 / /x rw - tmpfs x rw'), t(root, '2 1 0:9 / /z rw - tmpfs z rw'));
    expect(d.removed.map((m) => m.target)).toEqual(['/x']);
    expect(d.added.map((m) => m.target)).toEqual(['/z']);
    expect(d.changed).toEqual([]);
  });
});

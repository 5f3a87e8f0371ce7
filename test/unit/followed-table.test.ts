/**
 * FollowedTable.applyEvents, the mount events applied to a table, over a plain
 * file the test only appends to: what a kernel mountinfo fd returns when read
 * on from where the last read ended (the mounts made since). The real kernel's
 * side is test/integration/mount-events-source.test.ts.
 */
import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { FollowedTable } from '../../src/watch/table.js';
import { monoMs } from '../../src/sys/mono.js';
import type { Mount, MountIdentity } from '../../src/model/types.js';

const ROOT = '1 0 8:1 / / rw - ext4 /dev/a rw';
const A = '2 1 0:40 / /a rw - tmpfs a rw';
const line = (id: number, parent: number, minor: number, target: string) => `${id} ${parent} 0:${minor} / ${target} rw - tmpfs t${minor} rw`;
const who = (id: number, parent: number, minor: number): MountIdentity => ({ id, parent, major: 0, minor });
const shape = (ms: Mount[]) => ms.map((m) => `${m.id} ${m.target}${m.hidden ? ' hidden' : ''}`);

const opened: Array<{ dir: string; fd: number }> = [];
afterEach(() => {
  for (const { dir, fd } of opened.splice(0)) {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A table read whole once (as the watcher's first read), then appended to as the kernel would. */
function table(lines: string[]): { t: FollowedTable; append: (...l: string[]) => void } {
  const dir = mkdtempSync(`${tmpdir()}/mntns-table.`);
  const path = `${dir}/mountinfo`;
  writeFileSync(path, lines.map((l) => l + '\n').join(''));
  const fd = openSync(path, 'r');
  opened.push({ dir, fd });
  const t = new FollowedTable(fd, [], [], true);
  t.readWhole();
  return { t, append: (...l) => appendFileSync(path, l.map((x) => x + '\n').join('')) };
}

describe('FollowedTable.applyEvents', () => {
  it('takes an attached mount from the appended lines and a detached one out by identity', () => {
    const { t, append } = table([ROOT, A]);
    append(line(3, 1, 41, '/b'));
    const c1 = t.applyEvents([], [who(3, 1, 41)], monoMs());
    expect(c1 !== 'unfit' && c1 && shape(c1.fresh)).toEqual(['3 /b']);
    expect(shape(t.mounts)).toEqual(['1 /', '2 /a', '3 /b']);
    const c2 = t.applyEvents([who(2, 1, 40)], [], monoMs());
    expect(c2 !== 'unfit' && c2 && shape(c2.gone)).toEqual(['2 /a']);
    expect(shape(t.mounts)).toEqual(['1 /', '3 /b']);
    // A detach of a mount not there (another device behind the id): nothing.
    expect(t.applyEvents([who(3, 1, 99)], [], monoMs())).toBeNull();
  });

  it('works the hidden flags out again when a stack is made and taken off', () => {
    const { t, append } = table([ROOT, A, line(3, 2, 41, '/a/x')]);
    append(line(4, 2, 42, '/a')); // on a's own target: a and /a/x are hidden now
    const on = t.applyEvents([], [who(4, 2, 42)], monoMs());
    expect(on !== 'unfit' && on && shape(on.fresh).sort()).toEqual(['2 /a hidden', '3 /a/x hidden', '4 /a']);
    const off = t.applyEvents([who(4, 2, 42)], [], monoMs());
    expect(off !== 'unfit' && off && shape(off.fresh).sort()).toEqual(['2 /a', '3 /a/x']);
    expect(shape(t.mounts)).toEqual(['1 /', '2 /a', '3 /a/x']);
  });

  it('refuses (read whole) a new line with the id of a mount still there: its detach has not come yet', () => {
    const { t, append } = table([ROOT, A]);
    append(line(2, 1, 77, '/c')); // id 2 reused by another tmpfs, a's detach not applied yet
    expect(t.applyEvents([], [who(2, 1, 77)], monoMs())).toBe('unfit');
    expect(shape(t.mounts)).toEqual(['1 /', '2 /a']);
  });

  it('refuses an attached mount that is not there, and skips events read before the last whole read began', () => {
    const { t } = table([ROOT, A]);
    const before = monoMs();
    expect(t.applyEvents([], [who(9, 1, 50)], monoMs())).toBe('unfit');
    const { t: t2 } = table([ROOT, A]);
    expect(t2.applyEvents([who(2, 1, 40)], [], before)).toBeNull(); // the whole read saw it
    expect(shape(t2.mounts)).toEqual(['1 /', '2 /a']);
  });
});

/** "What changed since the mark": every namespace's mounts added, removed and changed, with who made them. */
import { describe, expect, it } from 'vitest';
import { changeLines, CHANGES_PER_NS } from '../../src/ui/changes.js';
import { indexSnapshot } from '../../src/ui/view-model.js';
import type { Snapshot } from '../../src/model/types.js';
import { aNamespace, aProcess } from '../helpers/model.js';

const ROOT = '1 0 8:1 / / rw - ext4 /dev/a rw';
const snapOf = (nss: ReturnType<typeof aNamespace>[]): Snapshot => ({ version: 1, time: '', namespaces: nss, peerGroups: [], errors: [] });
const text = (lines: ReturnType<typeof changeLines>): string => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

describe('changeLines', () => {
  const host = (table: string[]) => aNamespace(10, [aProcess(1, 10, ['init'])], [ROOT, ...table].join('\n'));
  const then = snapOf([host(['20 1 0:20 / /old rw - tmpfs old rw', '30 1 0:30 / /srv rw shared:3 - tmpfs srv rw']), aNamespace(40, [aProcess(400, 40, ['gone'])], ROOT, { initial: false })]);
  const now = snapOf([
    host(['30 1 0:30 / /srv ro - tmpfs srv rw', '21 1 0:21 / /new rw - tmpfs new rw']),
    aNamespace(50, [aProcess(500, 50, ['nginx'])], `${ROOT}\n22 1 0:22 / /x rw - tmpfs x rw`, { initial: false }),
  ]);
  const mark = { time: new Date('2026-12-01T12:00:03'), snapshot: then };
  const by = { pid: 4242, comm: 'mount', cmdline: ['mount'], ns: 10, ppid: 1, chain: [{ pid: 1, comm: 'init' }] };

  it('lists per namespace what was added (and who made it), removed and changed; new and gone namespaces', () => {
    const t = text(changeLines(mark, now, indexSnapshot(now), (inode, id) => (inode === 10 && id === 21 ? { time: '2026-12-01T12:01:02.000Z', by } : undefined)));
    expect(t).toContain('Changes since the mark at 12:00:03');
    expect(t).toContain('1 namespace changed · 1 new · 1 gone');
    expect(t).toContain('mnt:[10] init  +1 −1 ~1');
    expect(t).toContain('  + /new  tmpfs new  private  12:01:02 by mount (pid 4242) ← init');
    expect(t).toContain('  − /old  tmpfs old  private');
    expect(t).toContain('  ~ /srv  shared:3 → private, options rw → ro');
    expect(t).toContain('mnt:[50] nginx  new since the mark, 2 mounts');
    expect(t).toContain('mnt:[40]  gone since the mark');
  });
  it('nothing changed: says so; a storm since the mark is cut per namespace', () => {
    expect(text(changeLines({ time: mark.time, snapshot: now }, now, indexSnapshot(now), () => undefined))).toContain('Nothing changed since the mark.');
    const many = snapOf([host(Array.from({ length: CHANGES_PER_NS + 5 }, (_, i) => `${100 + i} 1 0:${100 + i} / /m${i} rw - tmpfs m rw`))]);
    const t = text(changeLines({ time: mark.time, snapshot: snapOf([host([])]) }, many, indexSnapshot(many), () => undefined));
    expect(t).toContain(`+${CHANGES_PER_NS + 5} −0 ~0`);
    expect(t).toContain('… 5 more');
  });
});

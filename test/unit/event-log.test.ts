import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { logEntries } from '../../src/ui/event-log.js';
import type { WatchEvent } from '../../src/watch/events.js';

const m = (id: number) => parseMountinfo(`${id} 1 0:55 / /shared/x rw shared:3 - tmpfs x rw`).mounts[0];

describe('logEntries', () => {
  it('groups one mount arriving in several namespaces in one batch', () => {
    const t = '2026-11-23T01:00:00.000Z';
    const events: WatchEvent[] = [
      { time: t, type: 'mount', ns: 1, mount: m(10) },
      { time: t, type: 'mount', ns: 2, mount: m(20) },
      { time: t, type: 'process-added', ns: 2, pid: 5, comm: 'sh' },
      { time: '2026-11-23T01:00:01.000Z', type: 'umount', ns: 1, mount: m(10) },
    ];
    expect(logEntries(events, 10).map((e) => [e.type, e.namespaces, e.subject])).toEqual([
      ['mount', [1, 2], '/shared/x'],
      ['process-added', [2], '5 sh'],
      ['umount', [1], '/shared/x'],
    ]);
  });
  it('keeps only the newest entries', () => {
    const events: WatchEvent[] = Array.from({ length: 50 }, (_, i) => ({ time: `t${i}`, type: 'process-added', ns: 1, pid: i }));
    expect(logEntries(events, 3).map((e) => e.subject.trim())).toEqual(['47', '48', '49']);
  });
  it('a change says what changed: propagation old → new, options old → new', () => {
    const before = m(10);
    const privat = parseMountinfo('10 1 0:55 / /shared/x ro - tmpfs x rw').mounts[0];
    const events: WatchEvent[] = [{ time: 't', type: 'change', ns: 1, mount: privat, before }];
    expect(logEntries(events, 5)[0].detail).toBe('shared:3 → private, options rw → ro');
  });
});

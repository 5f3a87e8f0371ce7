import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { eventFilter } from '../../src/output/watch-filter.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { parseArgs } from '../../src/cli-args.js';

const [srv, srv2, srvA] = parseMountinfo(['2 1 0:2 / /srv rw - tmpfs t rw', '3 1 0:3 / /srv2 rw - tmpfs t rw', '4 2 0:4 / /srv/a rw - tmpfs t rw'].join('\n')).mounts;
const events: WatchEvent[] = [
  { time: 't', type: 'mount', ns: 1, mount: srv },
  { time: 't', type: 'umount', ns: 2, mount: srv2 },
  { time: 't', type: 'change', ns: 1, mount: srvA, before: srvA },
  { time: 't', type: 'namespace-added', ns: 3 },
  { time: 't', type: 'process-added', ns: 1, pid: 9, comm: 'x' },
];
const kept = (f: Parameters<typeof eventFilter>[0]): string[] => events.filter(eventFilter(f)).map((e) => `${e.type} ${e.ns}`);

describe('watch filters', () => {
  it('pass everything when empty', () => {
    expect(kept({})).toHaveLength(events.length);
  });
  it('--ns, --type, and --path by whole components (/srv is not /srv2), combined as AND', () => {
    expect(kept({ ns: 1 })).toEqual(['mount 1', 'change 1', 'process-added 1']);
    expect(kept({ types: new Set(['umount', 'namespace-added']) })).toEqual(['umount 2', 'namespace-added 3']);
    expect(kept({ path: '/srv' })).toEqual(['mount 1', 'change 1']);
    expect(kept({ path: '/srv/' })).toEqual(['mount 1', 'change 1']);
    expect(kept({ path: '/' })).toEqual(['mount 1', 'umount 2', 'change 1']);
    expect(kept({ ns: 1, types: new Set(['change']), path: '/srv' })).toEqual(['change 1']);
  });
  it('are parsed for watch only, with clear errors', () => {
    expect(parseArgs(['watch', '--ns', '7', '--type', 'mount,umount', '--path', '/srv'])).toMatchObject({ mode: 'watch', ns: 7, types: ['mount', 'umount'], path: '/srv' });
    expect(() => parseArgs(['watch', '--type', 'mount,mounted'])).toThrow(/--type takes a comma list of mount, umount, change.*got "mount,mounted"/);
    expect(() => parseArgs(['watch', '--path', 'srv'])).toThrow(/--path needs an absolute path/);
    expect(() => parseArgs(['--json', '--type', 'mount'])).toThrow(/filter watch/);
    expect(() => parseArgs(['watch', '--pid', '1', '--ns', '2'])).toThrow(/exclude/);
  });
});

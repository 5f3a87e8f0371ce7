/** The processes behind mount events (sys/mounters.ts) on a fake procfs: read now, or as their exec showed them — never as they were before it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { EXEC_READS_PER_S, Mounters } from '../../src/sys/mounters.js';
import { fakeProcess } from '../helpers/model.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function proc(pid: number, comm: string, ppid: number, ns = 7): void {
  fakeProcess(dir, pid, ns, '');
  writeFileSync(`${dir}/${pid}/stat`, `${pid} (${comm}) S ${ppid} 1 1 0 -1 4194560 0 0`);
  writeFileSync(`${dir}/${pid}/cmdline`, `${comm}\0-x\0`);
}

describe('Mounters', () => {
  it('reads the mounter and its ancestors now; one that is gone, as its exec showed it', () => {
    dir = mkdtempSync(`${tmpdir()}/mntns-mounters.`);
    const m = new Mounters(dir);
    proc(1, 'init', 0);
    proc(50, 'bash', 1);
    proc(100, 'mount', 50);
    m.noteExecs([100], 0);
    rmSync(`${dir}/100`, { recursive: true });
    const [who] = m.fresh([100], 10);
    expect(who.self).toMatchObject({ pid: 100, cmdline: 'mount\0-x\0', nsLink: 'mnt:[7]' });
    expect(who.chain.map((p) => p.pid)).toEqual([50, 1]);
    // Read once a second at most: a storm by one process sends it once.
    expect(m.fresh([100], 500)).toEqual([]);
    // But an exec makes it another program: read anew at once.
    proc(100, 'umount', 50);
    m.noteExecs([100], 600);
    expect(m.fresh([100], 700)[0].self).toMatchObject({ cmdline: 'umount\0-x\0' });
  });
  it('a second exec that could not be read leaves nothing of the first: only the pid, never the older command', () => {
    dir = mkdtempSync(`${tmpdir()}/mntns-mounters.`);
    const m = new Mounters(dir);
    proc(100, 'nsenter', 1, 4026531832);
    m.noteExecs([100], 0); // nsenter, in the host's namespace
    rmSync(`${dir}/100`, { recursive: true });
    m.noteExecs([100], 1); // it exec'd mount, which was gone before it could be read
    expect(m.fresh([100], 2)).toEqual([{ pid: 100, self: null, chain: [] }]);
  });
  it('one gone before even its exec could be read: its ancestors from the fork the connector reported', () => {
    dir = mkdtempSync(`${tmpdir()}/mntns-mounters.`);
    const m = new Mounters(dir);
    proc(1, 'init', 0);
    proc(50, 'bash', 1);
    m.noteForks([200], [50]); // bash forked 200, which exec'd mount and was gone at once
    expect(m.fresh([200], 0)).toEqual([{ pid: 200, self: null, ppid: 50, chain: [expect.objectContaining({ pid: 50 }), expect.objectContaining({ pid: 1 })] }]);
  });
  it('reads at most EXEC_READS_PER_S execs a second (a process storm loses names, not time)', () => {
    dir = mkdtempSync(`${tmpdir()}/mntns-mounters.`);
    const m = new Mounters(dir);
    const pids = Array.from({ length: 2 * EXEC_READS_PER_S }, (_, i) => 1000 + i);
    for (const pid of pids) proc(pid, `p${pid}`, 1);
    for (let t = 0; t < 1000; t += 10) m.noteExecs(pids.slice(t, t + 10), t); // 1,000 execs in one second
    for (const pid of pids) rmSync(`${dir}/${pid}`, { recursive: true });
    const named = m.fresh(pids, 2000).filter((w) => w.self !== null).length;
    expect(named).toBeGreaterThan(EXEC_READS_PER_S * 0.9);
    expect(named).toBeLessThanOrEqual(EXEC_READS_PER_S + 50);
  });
});

/**
 * Discovery over a fake procfs tree (procRoot injected): grouping, the initial
 * namespace, readers, vanished and unreadable processes, malformed mountinfo.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/types.js';
import { INIT_MNT_NS_INODE, LookupError, selectNamespace, takeSnapshot } from '../../src/discover/snapshot.js';
import { inlineReader } from '../../src/discover/reader-pool.js';

const root = mkdtempSync(`${tmpdir()}/mntns-fakeproc-`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function proc(pid: number, o: { mnt?: number; comm?: string; ppid?: number; cmd?: string[]; root?: string; mountinfo?: string; kernel?: boolean; cgroup?: string }) {
  const d = `${root}/${pid}`;
  mkdirSync(`${d}/ns`, { recursive: true });
  mkdirSync(`${d}/fd`);
  if (o.mnt !== undefined) symlinkSync(`mnt:[${o.mnt}]`, `${d}/ns/mnt`);
  symlinkSync('pid:[4026531836]', `${d}/ns/pid`);
  writeFileSync(`${d}/stat`, `${pid} (${o.comm ?? 'x'}) S ${o.ppid ?? 1} 1 1 0 -1 ${o.kernel ? 0x00208040 : 0x400100} 0 0`);
  writeFileSync(`${d}/cmdline`, (o.cmd ?? []).map((a) => a + '\0').join(''));
  writeFileSync(`${d}/cgroup`, o.cgroup ?? '0::/\n');
  symlinkSync(o.root ?? '/', `${d}/root`);
  if (o.mountinfo !== undefined) writeFileSync(`${d}/mountinfo`, o.mountinfo);
}

const hostMi = '1 0 8:1 / / rw shared:1 - ext4 /dev/sda rw\n2 1 0:5 / /proc rw shared:2 - proc proc rw\n';
proc(1, { mnt: 100, comm: 'init', ppid: 0, cmd: ['/sbin/init'], mountinfo: hostMi });
proc(2, { mnt: 100, comm: 'kthreadd', ppid: 0, kernel: true, mountinfo: hostMi });
proc(50, { mnt: 200, comm: 'chrooted', cmd: ['sh'], root: '/srv/jail', mountinfo: '9 8 0:9 / /a rw master:1 - tmpfs t rw\n' });
proc(51, {
  mnt: 200,
  comm: 'nginx',
  cmd: ['nginx', '-g', 'daemon off;'],
  cgroup: '0::/system.slice/docker-0123456789abcdef0123.scope\n',
  mountinfo: '7 6 8:1 / / rw master:1 - ext4 /dev/sda rw\nthis line is broken\n8 7 0:9 / /srv rw - tmpfs t rw\n',
});
proc(60, { comm: 'zombie' }); // no ns link: a zombie or a race, skipped
proc(61, { comm: 'odd' });
mkdirSync(`${root}/61/ns/mnt`); // readlink fails with EINVAL: counted, not fatal
mkdirSync(`${root}/self`);

describe('takeSnapshot over a fake procfs', async () => {
  const s = await takeSnapshot({ procRoot: root, fdScan: 'always' });
  it('groups processes by namespace, initial first', () => {
    expect(s.namespaces.map((n) => [n.inode, n.initial, n.processes.map((p) => p.pid)])).toEqual([
      [100, true, [1, 2]],
      [200, false, [50, 51]],
    ]);
  });
  it('reads a namespace through a process whose root is the namespace root', () => {
    expect(s.namespaces[1].readVia).toBe(51);
    expect(s.namespaces[1].processes[0]).toMatchObject({ chrooted: true, rootPath: '/srv/jail' });
    expect(s.namespaces[1].processes[1].container).toEqual({ kind: 'docker', name: '0123456789ab' });
  });
  it('keeps good mounts around a malformed line and reports it', () => {
    expect(s.namespaces[1].mounts.map((m) => m.target)).toEqual(['/', '/srv']);
    expect(s.namespaces[1].mountErrors).toEqual([{ line: 2, text: 'this line is broken', reason: expect.any(String) }]);
  });
  it('skips a vanished process silently and counts an unreadable one', () => {
    expect(s.errors.map((e) => [e.pid, e.code])).toEqual([[61, 'EINVAL']]);
    expect(s.namespaces.flatMap((n) => n.processes.map((p) => p.pid))).not.toContain(60);
  });
  it('links peer groups across namespaces', () => {
    expect(s.peerGroups.find((g) => g.id === 1)).toEqual({
      id: 1,
      members: [{ ns: 100, mount: 1, target: '/' }],
      slaves: [{ ns: 200, mount: 7, target: '/' }],
    });
  });
  it('previews the namespaces and processes once they are read, before any mount', async () => {
    const previews: Snapshot[] = [];
    const full = await takeSnapshot({ procRoot: root, fdScan: 'always', preview: (p) => previews.push(p) });
    expect(previews).toHaveLength(1);
    const [p] = previews;
    expect(p.namespaces.map((n) => [n.inode, n.initial, n.processes.map((x) => x.pid), n.mounts.length])).toEqual([
      [100, true, [1, 2], 0],
      [200, false, [50, 51], 0],
    ]);
    // Its namespaces are copies: the snapshot's mounts are not put into them later.
    expect(full.namespaces[1].mounts.length).toBeGreaterThan(0);
    expect(p.namespaces[1].mounts).toEqual([]);
    const one: Snapshot[] = [];
    await takeSnapshot({ procRoot: root, pid: 50, preview: (x) => one.push(x) });
    expect(one[0].namespaces.map((n) => n.inode)).toEqual([200]);
  });
  it('says when /proc is read, once, after every read and before the model is built; asks for the tables before the preview', async () => {
    const calls: string[] = [];
    const reader = {
      processes: async (r: string, p: number[]) => (calls.push('processes'), inlineReader.processes(r, p)),
      mountinfo: (r: string, j: Array<{ inode: number; candidates: number[] }>) => (calls.push('mountinfo'), inlineReader.mountinfo(r, j)),
      fds: async (r: string, p: number[]) => (calls.push('fds'), inlineReader.fds(r, p)),
      close: async () => {},
    };
    const trace = (step: string): number => calls.push(step.replace(/ \(.*/, ''));
    await takeSnapshot({ procRoot: root, fdScan: 'always', reader, trace, readsDone: () => calls.push('reads done'), preview: () => calls.push('preview') });
    // The tables are asked for before the preview is drawn: the threads read while the view draws.
    expect(calls).toEqual(['processes', 'processes', 'mountinfo', 'preview', 'mountinfo read + parse', 'fds', 'process-less namespaces', 'reads done', 'overmounts + peer groups', 'findings']);
  });
  it("names a namespace after its container, from the runtime's state (injected here)", async () => {
    const named = await takeSnapshot({ procRoot: root, containerNames: (h) => (h.kind === 'docker' && h.name === '0123456789ab' ? 'web' : null) });
    expect(named.namespaces.map((n) => [n.inode, n.name])).toEqual([
      [100, undefined],
      [200, 'web'],
    ]);
  });
  it('--pid reads through that process, even a chrooted one', async () => {
    const one = await takeSnapshot({ procRoot: root, pid: 50 });
    expect(one.namespaces.map((n) => [n.inode, n.readVia, n.mounts.map((m) => m.target)])).toEqual([[200, 50, ['/a']]]);
  });
  it('unknown pid, unknown namespace and a missing procfs are one-line errors', async () => {
    await expect(takeSnapshot({ procRoot: root, pid: 9999 })).rejects.toThrow(LookupError);
    expect(() => selectNamespace(s, 12345)).toThrow(/no such mount namespace: 12345/);
    await expect(takeSnapshot({ procRoot: `${root}/nope` })).rejects.toThrow(/cannot read procfs/);
  });
});

describe('the initial namespace when PID 1 and the kernel threads are unreadable (a non-root user)', async () => {
  const other = mkdtempSync(`${tmpdir()}/mntns-fakeproc-nobody-`);
  afterAll(() => rmSync(other, { recursive: true, force: true }));
  const procIn = (dir: string, pid: number, mnt: number) => {
    mkdirSync(`${dir}/${pid}/ns`, { recursive: true });
    mkdirSync(`${dir}/${pid}/fd`);
    symlinkSync(`mnt:[${mnt}]`, `${dir}/${pid}/ns/mnt`);
    writeFileSync(`${dir}/${pid}/stat`, `${pid} (sh) S 1 1 1 0 -1 4194560 0 0`);
    writeFileSync(`${dir}/${pid}/cmdline`, 'sh\0');
    writeFileSync(`${dir}/${pid}/cgroup`, '0::/\n');
    symlinkSync('/', `${dir}/${pid}/root`);
    writeFileSync(`${dir}/${pid}/mountinfo`, '1 0 8:1 / / rw - ext4 /dev/sda rw\n');
  };
  // Our own processes only: nothing says which namespace is the host's.
  procIn(other, 700, 4026532500);
  procIn(other, 701, 4026532501);
  mkdirSync(`${other}/self`);
  const unknown = await takeSnapshot({ procRoot: other });
  it('says unknown (null) for every namespace rather than a wrong false', () => {
    expect(unknown.namespaces.map((n) => n.initial)).toEqual([null, null]);
  });
  it('knows it by the fixed inode Linux 6.18 gives the initial mount namespace', async () => {
    procIn(other, 702, INIT_MNT_NS_INODE);
    const s = await takeSnapshot({ procRoot: other });
    expect(s.namespaces.map((n) => [n.inode, n.initial])).toEqual([
      [INIT_MNT_NS_INODE, true],
      [4026532500, false],
      [4026532501, false],
    ]);
  });
});

/**
 * `mntns watch --json` over real lab namespaces: every change made inside the
 * lab (never on the host) must come out as events, at once.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { buildMountTree, markHidden } from '../../src/model/mount-tree.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import type { Mount } from '../../src/model/types.js';
import { REPO, describeRoot, run, startLab, stopAllLabs, type Lab } from '../helpers/lab.js';
import { WatchRun } from '../helpers/watch.js';
import { NEW_API_MOUNT, hasPython } from '../helpers/new-mount-api.js';

/** Runs argv inside the mount namespace of `pid` (argv array, `--` before the command). */
const inNs = (pid: number, argv: string[]) => run('nsenter', ['-t', String(pid), '-m', '--', ...argv]);

describeRoot('mntns watch --json on lab namespaces', () => {
  let lab: Lab;
  let w: WatchRun;
  let info: { lab: string; ns1: { pid: number; ns: number }; ns2: { pid: number; ns: number }; X: string; Y: string };
  beforeAll(async () => {
    lab = await startLab('peers');
    info = lab.info;
    await inNs(info.ns1.pid, ['mkdir', '-p', `${info.lab}/pins`, `${info.X}/sub`]);
    // MNTNS_TRACE: the watcher says when it re-read the tables, so tests can wait for that.
    w = new WatchRun(['--rescan', '0.5', '--pins', `/proc/${info.ns1.pid}/root${info.lab}/pins`], { ...process.env, MNTNS_TRACE: '1' });
    await w.ready();
  });
  afterAll(async () => {
    await w?.stop();
    await stopAllLabs();
  });

  it('a mount under a shared mount: events in both namespaces of the peer group', async () => {
    await inNs(info.ns1.pid, ['mount', '-t', 'tmpfs', 'evt', `${info.X}/sub`]);
    const target = `${info.X}/sub`;
    const a = await w.event((e) => e.type === 'mount' && e.ns === info.ns1.ns && e.mount?.target === target, 'mount in ns1');
    const b = await w.event((e) => e.type === 'mount' && e.ns === info.ns2.ns && e.mount?.target === target, 'propagated mount in ns2');
    expect(a.mount!.source).toBe('evt');
    expect(b.mount!.source).toBe('evt');
    expect(a.mount!.propagation.shared).toBe(b.mount!.propagation.shared);
  });

  it('an umount: events in both namespaces', async () => {
    const target = `${info.X}/sub`;
    await inNs(info.ns1.pid, ['umount', target]);
    await w.event((e) => e.type === 'umount' && e.ns === info.ns1.ns && e.mount?.target === target, 'umount in ns1');
    await w.event((e) => e.type === 'umount' && e.ns === info.ns2.ns && e.mount?.target === target, 'umount in ns2');
  });

  it('a propagation change (wakes no poll) is caught by the rescan, with the state before', async () => {
    await inNs(info.ns1.pid, ['mount', '--make-private', info.Y]);
    const e = await w.event((x) => x.type === 'change' && x.ns === info.ns1.ns && x.mount?.target === info.Y, 'change of Y');
    expect(e.before!.propagation.shared).not.toBeNull();
    expect(e.mount!.propagation).toEqual({ shared: null, master: null, propagateFrom: null, unbindable: false });
  });

  it('a namespace appearing and vanishing, and its process exiting', async () => {
    const child = spawn('nsenter', ['-t', String(info.ns1.pid), '-m', '--', 'unshare', '--mount', '--propagation', 'private', '--', 'sleep', '60'], { stdio: 'ignore' });
    try {
      const added = await w.event((e) => e.type === 'process-added' && e.pid === child.pid && e.ns !== info.ns1.ns, 'the new process in its new namespace');
      await w.event((e) => e.type === 'namespace-added' && e.ns === added.ns, 'namespace-added');
      child.kill('SIGKILL');
      await w.event((e) => e.type === 'process-removed' && e.pid === child.pid, 'process-removed');
      await w.event((e) => e.type === 'namespace-removed' && e.ns === added.ns, 'namespace-removed');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a pin file appearing in a watched pin directory brings its namespace in, and it stays after its process dies', async () => {
    const pinDir = `${info.lab}/pins`;
    // Pin a fresh namespace from inside the lab (the pin must live on the lab's private tmpfs).
    const inode = Number((await inNs(info.ns1.pid, [`${REPO}/test/fixtures/pin-namespace.sh`, pinDir])).trim());
    expect(inode).toBeGreaterThan(0);
    await w.event((x) => x.type === 'namespace-added' && x.ns === inode, 'the pinned namespace');
    // Its only process is dead; the pin keeps it, and it must not be reported gone. (An
    // earlier, refused attempt may have had the same inode: namespace inodes are reused.)
    // Two whole re-reads later (each would have seen it gone) it is still there.
    const mark = w.stderr.length;
    await w.until(() => (w.stderr.slice(mark).match(/re-read every table/g) ?? []).length >= 2, 10_000, 'two re-reads of every table');
    const added = w.events
      .map((x, i) => (x.type === 'namespace-added' && x.ns === inode ? i : -1))
      .filter((i) => i >= 0)
      .pop()!;
    expect(w.events.slice(added).some((x) => x.type === 'namespace-removed' && x.ns === inode)).toBe(false);
  });

  it.each([
    // A step's events may come in one batch or two (the last step umounts two mounts): at least one each.
    ['from the mount events, with no whole read', [], 'events'],
    ['without them: new leaves from the appended lines, the rest by whole reads', ['--no-mount-events'], ['appended', 'appended', 'whole', 'whole', 'appended']],
  ])('replaying the event stream gives the real table after every step, hidden flags included (%s)', async (_, extra, wantReads) => {
    const pid = info.ns1.pid;
    const real = (): string[] => {
      const { mounts } = parseMountinfo(readFileSync(`/proc/${pid}/mountinfo`, 'utf8'));
      markHidden(buildMountTree(mounts));
      return mounts.map(line).sort();
    };
    const line = (m: Mount) => `${m.id} ${m.target}${m.hidden ? ' (hidden)' : ''}`;
    const base = `${info.X}/replay`;
    await inNs(pid, ['mkdir', '-p', `${base}/a/b`, `${base}/c`]);
    const own = new WatchRun(['--pid', String(pid), ...extra], { ...process.env, MNTNS_TRACE: '1' });
    try {
      await own.ready();
      // Its first re-read of the table (a second after start) positions it for appended reads.
      await own.until(() => own.stderr.includes('re-read'), 10_000, 'the first re-read');
      const table = new Map(parseMountinfo(readFileSync(`/proc/${pid}/mountinfo`, 'utf8')).mounts.map((m) => [m.id, m]));
      markHidden(buildMountTree([...table.values()]));
      let applied = 0;
      const replayed = (): string[] => {
        for (const e of own.events.slice(applied)) {
          if (e.ns !== info.ns1.ns || !e.mount) continue;
          if (e.type === 'umount') table.delete(e.mount.id);
          else table.set(e.mount.id, e.mount);
        }
        applied = own.events.length;
        return [...table.values()].map(line).sort();
      };
      const steps: Array<[string, string[]]> = [
        ['a new leaf', ['mount', '-t', 'tmpfs', 'r1', `${base}/a/b`]],
        ['another', ['mount', '-t', 'tmpfs', 'r2', `${base}/c`]],
        ['one stacked on c (c is hidden now)', ['mount', '-t', 'tmpfs', 'r3', `${base}/c`]],
        ['one on a, covering a/b', ['mount', '-t', 'tmpfs', 'r4', `${base}/a`]],
        ['a leaf in it', ['sh', '-c', 'mkdir "$1/a/x" && mount -t tmpfs r5 "$1/a/x"', 'sh', base]],
        ['its umount', ['umount', `${base}/a/x`]],
        ['a uncovered', ['umount', `${base}/a`]],
        ['c unstacked', ['umount', `${base}/c`]],
        ['the rest', ['umount', `${base}/c`, `${base}/a/b`]],
      ];
      for (const [what, argv] of steps) {
        await inNs(pid, argv);
        const want = real();
        for (let i = 0; i < 50 && replayed().join('\n') !== want.join('\n'); i++) await new Promise((r) => setTimeout(r, 100));
        expect(replayed(), `after ${what}`).toEqual(want);
      }
      expect(own.events.filter((e) => e.type === 'change' && e.mount?.target === `${base}/c`).map((e) => e.mount!.hidden)).toEqual([true, false]);
      // How each change was read: from its mount events (a step each); without
      // them, plain new leaves from the appended lines, the stacked and the covering mount by a whole read.
      const reads = own.stderr
        .split('\n')
        .filter((l) => l.includes(`mnt:[${info.ns1.ns}]`) && !l.includes('marked'))
        .map((l) => (l.includes('whole read') ? 'whole' : l.includes('mount event(s)') ? 'events' : 'appended'));
      if (wantReads === 'events') {
        expect(new Set(reads)).toEqual(new Set(['events']));
        expect(reads.length).toBeGreaterThanOrEqual(steps.length);
      } else expect(reads).toEqual(wantReads);
    } finally {
      await own.stop();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await w.stop()).toBe(0);
  });
});

describeRoot('a namespace first seen through a chrooted process', () => {
  it("is read through an ordinary process as soon as one joins it: the whole table, not the chroot's corner", async () => {
    const lab = await startLab('peers');
    const { ns1, lab: dir } = lab.info;
    const jail = `${dir}/jail`;
    // A jail with the host's /usr bound in, so its sleep runs there (merged /usr).
    await inNs(ns1.pid, [
      'sh',
      '-c',
      `mkdir -p ${jail}/usr ${jail}/proc && mount -t tmpfs jail ${jail} && mkdir -p ${jail}/usr && mount --bind /usr ${jail}/usr && ln -s usr/bin ${jail}/bin && ln -s usr/lib ${jail}/lib && ln -s usr/lib64 ${jail}/lib64`,
    ]);
    const spawnIn = (argv: string[]) => spawn('nsenter', ['-t', String(ns1.pid), '-m', '--', ...argv], { stdio: 'ignore' });
    // Its only process is chrooted: a copy of the lab namespace seen from inside the jail.
    const chrooted = spawnIn(['unshare', '--mount', '--propagation', 'private', '--', 'chroot', jail, '/usr/bin/sleep', '60']);
    onTestFinished(() => void chrooted.kill('SIGKILL'));
    let inode = 0;
    for (let i = 0; i < 100 && !inode; i++) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        if (readlinkSync(`/proc/${chrooted.pid}/root`) === jail) inode = Number(/\d+/.exec(readlinkSync(`/proc/${chrooted.pid}/ns/mnt`))![0]);
      } catch {
        /* not there yet */
      }
    }
    expect(inode).toBeGreaterThan(0);
    const w = new WatchRun(['--rescan', '60'], { ...process.env, MNTNS_TRACE: '1' });
    onTestFinished(() => void w.stop());
    await w.ready();
    // An ordinary process joins (nsenter lands in the namespace's own root).
    const ordinary = spawn('nsenter', ['-t', String(chrooted.pid), '-m', '--', 'sleep', '60'], { stdio: 'ignore' });
    onTestFinished(() => void ordinary.kill('SIGKILL'));
    await w.until(() => w.stderr.includes(`mnt:[${inode}] now read through pid ${ordinary.pid}`), 10_000, 'the switch to the ordinary process');
    // The mounts outside the jail arrive: the lab's peers, as the namespace has them.
    await w.event((e) => e.type === 'mount' && e.ns === inode && e.mount?.target === lab.info.X, 'the lab mount outside the jail');
    await lab.stop();
  });
});

describeRoot('mntns watch filters', () => {
  it('--ns, --type and --path narrow the output to exactly what they name', async () => {
    const lab = await startLab<{ lab: string; ns1: { pid: number; ns: number }; ns2: { pid: number; ns: number }; X: string; Y: string }>('peers');
    const { ns1, ns2, X, Y } = lab.info;
    const w = new WatchRun(['--ns', String(ns2.ns), '--type', 'umount', '--path', X]);
    onTestFinished(() => void w.stop());
    await w.ready();
    // Outside the path, and a mount (not an umount): neither passes.
    await inNs(ns1.pid, ['mkdir', '-p', `${X}/f`, `${Y}/f`]);
    await inNs(ns1.pid, ['mount', '-t', 'tmpfs', 'fy', `${Y}/f`]);
    await inNs(ns1.pid, ['mount', '-t', 'tmpfs', 'fx', `${X}/f`]);
    await inNs(ns1.pid, ['umount', `${Y}/f`]);
    await inNs(ns1.pid, ['umount', `${X}/f`]);
    // ns1's umount of X/f and ns2's propagated one: only ns2's comes out.
    await w.event((e) => e.type === 'umount' && e.mount?.target === `${X}/f`, 'the umount in ns2');
    await new Promise((r) => setTimeout(r, 300)); // anything else would be out by now
    expect(w.events.map((e) => `${e.type} ${e.ns} ${e.mount?.target}`)).toEqual([`umount ${ns2.ns} ${X}/f`]);
    await lab.stop();
  });

  it('--ns of no namespace is a clear error, exit 1', async () => {
    const w = new WatchRun(['--ns', '1']);
    const code = await new Promise<number | null>((r) => w.proc.once('exit', r));
    expect(code).toBe(1);
    expect(w.stderr).toContain('mntns: no such mount namespace: 1');
  });
});

/** Runs argv in `pid`'s mount namespace (nsenter execs it in place: the pid is the command's); its pid and its end. */
function spawnInNs(pid: number, argv: string[]): { pid: number; done: Promise<number | null> } {
  const p = spawn('nsenter', ['-t', String(pid), '-m', '--', ...argv], { stdio: 'ignore' });
  onTestFinished(() => void p.kill('SIGKILL'));
  return { pid: p.pid!, done: new Promise((r) => p.once('exit', r)) };
}

type Peers = { lab: string; ns1: { pid: number; ns: number }; ns2: { pid: number; ns: number }; X: string };

describeRoot('who made a mount (the kernel mount events)', () => {
  it('mount(8) and umount(8) through nsenter: each event names the process, its command line, its namespace and its parent; the copy says where it was made', async () => {
    const lab = await startLab<Peers>('peers');
    const { ns1, ns2, X } = lab.info;
    const w = new WatchRun(['--type', 'mount,umount', '--path', `${X}/who`]);
    onTestFinished(() => void w.stop());
    await w.ready();
    await inNs(ns1.pid, ['mkdir', '-p', `${X}/who`]);
    const mounter = spawnInNs(ns1.pid, ['mount', '-t', 'tmpfs', 'whofs', `${X}/who`]);
    expect(await mounter.done).toBe(0);
    const here = await w.event((e) => e.type === 'mount' && e.ns === ns1.ns, 'the mount');
    const there = await w.event((e) => e.type === 'mount' && e.ns === ns2.ns, 'its copy in ns2');
    // mount(8) is gone a moment after its syscall: what it was comes from its exec
    // when that could be read in time — else only its pid, never what it was before
    // (nsenter, in the host's namespace: that once came out as "made in" the host).
    // Caught exiting, it may have lost its command line and namespace (null: not known).
    expect(here.by!.pid).toBe(mounter.pid);
    if (here.by!.comm !== null) {
      expect(here.by).toMatchObject({ pid: mounter.pid, comm: 'mount', ppid: process.pid });
      expect(here.by!.chain[0]).toEqual({ pid: process.pid, comm: expect.any(String) });
      if (here.by!.cmdline !== null) expect(here.by!.cmdline).toEqual(['mount', '-t', 'tmpfs', 'whofs', `${X}/who`]);
    }
    if (here.by!.ns !== null) {
      expect(here.by!.ns).toBe(ns1.ns);
      expect(there.from).toBe(ns1.ns);
    } else expect(there.from).toBeUndefined();
    expect(here.from).toBeUndefined();
    expect(there.by).toEqual(here.by);
    const unmounter = spawnInNs(ns1.pid, ['umount', `${X}/who`]);
    expect(await unmounter.done).toBe(0);
    const gone = await w.event((e) => e.type === 'umount' && e.ns === ns1.ns, 'the umount');
    expect(gone.by!.pid).toBe(unmounter.pid);
    if (gone.by!.comm !== null) expect(gone.by).toMatchObject({ comm: 'umount', ns: ns1.ns });
    await lab.stop();
  });

  (hasPython ? it : it.skip)(`the new mount API (fsopen/fsmount/move_mount), which syscall tracers of mount(2) miss${hasPython ? '' : ' [skipped: no python3 here]'}`, async () => {
    const lab = await startLab<Peers>('peers');
    const { ns1, ns2, X } = lab.info;
    const w = new WatchRun(['--type', 'mount', '--path', `${X}/api`]);
    onTestFinished(() => void w.stop());
    await w.ready();
    await inNs(ns1.pid, ['mkdir', '-p', `${X}/api`]);
    // It stays a moment after mounting, so what it is can be read for certain.
    const mounter = spawnInNs(ns1.pid, ['python3', '-c', `${NEW_API_MOUNT}\nimport time; time.sleep(2)`, `${X}/api`]);
    const here = await w.event((x) => x.type === 'mount' && x.ns === ns1.ns, 'the fsmount in ns1');
    const there = await w.event((x) => x.type === 'mount' && x.ns === ns2.ns, 'its copy in ns2');
    expect(here.by).toMatchObject({ pid: mounter.pid, comm: expect.stringMatching(/^python/), ns: ns1.ns });
    expect(here.by!.cmdline).toContain(`${X}/api`);
    expect(there.by).toMatchObject({ pid: mounter.pid, ns: ns1.ns });
    expect(there.from).toBe(ns1.ns);
    expect(await mounter.done).toBe(0);
    await lab.stop();
  });

  (hasPython ? it : it.skip)(`watch's text line says who, and a copy where it was made${hasPython ? '' : ' [skipped: no python3 here]'}`, async () => {
    const lab = await startLab<Peers>('peers');
    const { ns1, ns2, X } = lab.info;
    const w = new WatchRun(['--type', 'mount', '--path', `${X}/txt`], process.env, false);
    onTestFinished(() => void w.stop());
    await w.ready();
    await inNs(ns1.pid, ['mkdir', '-p', `${X}/txt`]);
    const mounter = spawnInNs(ns1.pid, ['python3', '-c', `${NEW_API_MOUNT}\nimport time; time.sleep(2)`, `${X}/txt`]);
    await w.line((l) => l.includes(`mnt:[${ns2.ns}]`));
    expect(w.lines.find((l) => l.includes(`mnt:[${ns1.ns}]`))).toMatch(new RegExp(`by python\\S* \\(pid ${mounter.pid}\\) ← `));
    expect(w.lines.find((l) => l.includes(`mnt:[${ns2.ns}]`))).toContain(`, made in mnt:[${ns1.ns}]`);
    expect(await mounter.done).toBe(0);
    await lab.stop();
  });
});

/**
 * Propagation keys end to end, in lab namespaces only: the TUI asks, `n` changes
 * nothing, `y` changes the mount in that namespace — checked with findmnt — and
 * the change shows up as an event (it wakes no poll: mntns re-reads after acting).
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, afterEach, expect, it } from 'vitest';
import { CLI, describeRoot, heldAfter, holdersOf, run, runCli, startLab, stopAllLabs } from '../helpers/lab.js';
import { Term } from '../helpers/terminal.js';
import { usernsTarget } from '../helpers/targets.js';
import { WatchRun } from '../helpers/watch.js';

let term: Term | null = null;
let watch: WatchRun | null = null;
afterEach(async () => {
  term?.kill();
  term = null;
  await watch?.stop();
  watch = null;
});
afterAll(stopAllLabs);

/** The opt-fields findmnt shows for `target` in the namespace of `pid`. */
async function optFields(pid: number, target: string): Promise<string> {
  const out = JSON.parse(await run('findmnt', ['-J', '-N', String(pid), '-o', 'TARGET,OPT-FIELDS', '--mountpoint', target]));
  return out.filesystems.at(-1)['opt-fields'] ?? '';
}
/** The same, in the namespace behind an nsfs path (a copy held by an fd). */
async function optFieldsVia(nsPath: string, target: string): Promise<string> {
  const out = JSON.parse(await run('nsenter', [`--mount=${nsPath}`, '--', 'findmnt', '-J', '-o', 'TARGET,OPT-FIELDS', '--mountpoint', target]));
  return out.filesystems.at(-1)['opt-fields'] ?? '';
}
const inNs = (pid: number, argv: string[]) => run('nsenter', ['-t', String(pid), '-m', '--', ...argv]);
async function mountsIn(pid: number): Promise<string[]> {
  const flat = (l: Array<{ target: string; children?: unknown[] }>): string[] => l.flatMap((f) => [f.target, ...flat((f.children ?? []) as never)]);
  return flat(JSON.parse(await run('findmnt', ['-J', '-N', String(pid), '-o', 'TARGET'])).filesystems);
}

describeRoot('propagation actions in the TUI', () => {
  it('leak: p asks, n changes nothing, y makes the container root private and the leak stops', async () => {
    const lab = await startLab('leak');
    const { host, container, mountpoint } = lab.info;
    const root = mountpoint.replace(/\/mntpoint$/, '');
    // Control: before the fix a new mount in the container appears in the host.
    await inNs(container.pid, ['mkdir', '-p', `${root}/before`, `${root}/after`]);
    await inNs(container.pid, ['mount', '-t', 'tmpfs', 'before', `${root}/before`]);
    expect(await mountsIn(host.pid)).toContain(`${root}/before`);

    watch = new WatchRun(['--pid', String(container.pid)]);
    await watch.ready();
    term = new Term(['--pid', String(container.pid)], { cols: 160, rows: 40 });
    await term.selected(container.ns);
    await term.press('tab', '/', ...root, 'enter');
    await term.waitFor((s) => s.split('\n').some((l) => />[ !]/.test(l) && l.includes(`─${root} `)));
    await term.press('p');
    const dialog = await term.waitFor('Change propagation?');
    expect(dialog).toMatch(/now +shared:\d+/);
    expect(dialog).toMatch(/after +private/);
    expect(dialog).toContain(`mnt:[${container.ns}]`);
    await term.press('n');
    await term.waitFor((s) => !s.includes('Change propagation?'));
    expect(await optFields(container.pid, root)).toMatch(/shared:\d+/);

    await term.press('p');
    await term.waitFor('Change propagation?');
    await term.press('y');
    await term.waitFor(new RegExp(`mnt:\\[${container.ns}\\] ${root.replace(/[.]/g, '\\.')}: shared:\\d+ → private`));
    expect(await optFields(container.pid, root)).toBe('');
    // The leak is fixed: a new mount in the container stays there.
    await inNs(container.pid, ['mount', '-t', 'tmpfs', 'after', `${root}/after`]);
    expect(await mountsIn(container.pid)).toContain(`${root}/after`);
    expect(await mountsIn(host.pid)).not.toContain(`${root}/after`);
    // mntns re-read after acting: the change is an event, on the screen and on watch --json.
    await term.press('l');
    await term.waitFor(new RegExp(`change +${root.replace(/[.]/g, '\\.')} `));
    const e = await watch.event((x) => x.type === 'change' && x.mount?.target === root, 'the change event', 15_000);
    expect(e.before!.propagation.shared).not.toBeNull();
    expect(e.mount!.propagation.shared).toBeNull();
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });

  it('hostile: a path with $(…) and spaces is re-flagged exactly, and nothing runs', async () => {
    const lab = await startLab('hostile');
    const { holder, lab: dir } = lab.info;
    const target = `${dir}/h/dollar$(touch mntns-pwned)`;
    term = new Term(['--ns', String(holder.ns)], { cols: 200, rows: 50 });
    await term.selected(holder.ns);
    await term.press('tab', '/', ...'dollar', 'enter', 's');
    await term.waitFor('Change propagation?');
    await term.press('y');
    // The message names the namespace changed: the holder's, not another lab's running meanwhile.
    await term.waitFor(new RegExp(`mnt:\\[${holder.ns}\\] .*dollar.*: private → shared:\\d+`));
    expect(await optFields(holder.pid, target)).toMatch(/^shared:\d+$/);
    for (const d of [process.cwd(), dir, `${dir}/h`, '/']) {
      expect(existsSync(d) ? readdirSync(d).filter((f) => f.startsWith('mntns-pwned')) : []).toEqual([]);
    }
    await term.press('q');
    await lab.stop();
  });

  it('on the initial namespace the dialog warns loudly, and n leaves it alone', async () => {
    // Never the machine's own namespace: mntns runs as PID 1 of new PID and mount
    // namespaces (private), so the "initial" namespace it sees is a throwaway one
    // — also on a systemd host, where the real / is shared and a wrong "yes"
    // would change it.
    term = new Term([], { prefix: ['unshare', '--mount', '--propagation', 'private', '--pid', '--fork', '--mount-proc', '--'] });
    await term.waitFor(/^> [▸▾] \d+ +I/m);
    const inner = Number(readFileSync(`/proc/${term.pty.pid}/task/${term.pty.pid}/children`, 'utf8').trim());
    const before = await optFields(inner, '/');
    expect(before).toBe('');
    await term.press('tab', 'p');
    const s = await term.waitFor('Change propagation?');
    expect(s).toContain('INITIAL (host) namespace');
    await term.press('n');
    await term.waitFor((x) => !x.includes('Change propagation?'));
    // / is private already, so findmnt alone could not tell a wrong "yes": mntns must not have acted.
    expect(term.screen()).not.toMatch(/→|changing/);
    expect(await optFields(inner, '/')).toBe(before);
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });

  it('--readonly refuses and says so', async () => {
    const lab = await startLab('peers');
    term = new Term(['--readonly', '--pid', String(lab.info.ns1.pid)]);
    await term.selected(lab.info.ns1.ns);
    await term.press('tab', 'p');
    await term.waitFor('read-only (--readonly): actions are off');
    expect(term.screen()).not.toContain('Change propagation?');
    await term.press('q');
    await lab.stop();
  });
});

describeRoot('findings in the TUI and --tree', () => {
  it('leak: the f view explains, the mount carries "!", details repeat it with the fix', async () => {
    const lab = await startLab('leak');
    const { container, host, mountpoint } = lab.info;
    const root = mountpoint.replace(/\/mntpoint$/, '');
    term = new Term(['--pid', String(container.pid)], { cols: 170, rows: 44 });
    await term.selected(container.ns);
    await term.press('f');
    const f = await term.waitFor('Findings for');
    expect(f).toContain('mount-leak');
    expect(f).toContain(`mnt:[${host.ns}]`);
    // Each finding about a mount is a line to pick; P there acts on its mount, and the question says what it does to others.
    await term.press('down');
    await term.waitFor((s) => s.split('\n').some((l) => l.includes('│>') && l.includes('mount-leak') && l.includes(root)));
    await term.press('P');
    const q = await term.waitFor('Change propagation (recursively)?');
    expect(q).toMatch(new RegExp(`mount +${root} `));
    expect(q).toMatch(/touches +2 mounts \(it and 1 below it\)/);
    expect(q).toMatch(new RegExp(`no longer receive from it: mnt:\\[${host.ns}\\]`));
    expect(q).toContain(`same as    nsenter -t ${container.pid} -m mount --make-rprivate ${root}`);
    await term.press('n');
    await term.waitFor('Findings for');
    await term.press('esc', 'tab', '/', ...root, 'enter');
    await term.waitFor((s) => s.split('\n').some((l) => l.includes(`>!`) && l.includes(`─${root} `)));
    await term.press('enter');
    const d = await term.waitFor('fix: make');
    expect(d).toMatch(/! Mounts made under .* here also appear in mnt:\[\d+\]/);
    await term.press('q');
    expect(await term.wait()).toBe(0);
    const tree = await run(process.execPath, [CLI, '--tree', '--pid', String(container.pid)]);
    expect(tree).toMatch(/! mount-leak: Mounts made under/);
    // The fix offered first fixes: P, since the mount point below is shared too (p alone left it leaking).
    expect(tree).toMatch(new RegExp(`fix: make ${root} and every mount below it private \\(P\\): ${mountpoint} below it is shared too`));
    await lab.stop();
  });
});

describeRoot('e: a shell inside a namespace', () => {
  it('runs $SHELL in the selected namespace, and the TUI comes back where it was', async () => {
    const lab = await startLab('leak');
    const { container } = lab.info;
    term = new Term(['--pid', String(container.pid)], { cols: 140, rows: 36, env: { SHELL: '/bin/sh' } });
    await term.selected(container.ns);
    await term.press('e');
    // It asks how: as the namespace's processes run, or as host root (the default here: no container).
    await term.waitFor('How should it run?');
    expect(term.screen()).toMatch(/h \/ Enter +as HOST ROOT/);
    await term.press('enter');
    await term.waitFor(`a shell in mnt:[${container.ns}]`);
    expect(term.screen()).toContain('as HOST ROOT');
    await term.press(...'echo NS=$(readlink /proc/self/ns/mnt)', 'enter');
    await term.waitFor(`NS=mnt:[${container.ns}]`);
    await term.press(...'exit', 'enter');
    await term.waitFor(`back from mnt:[${container.ns}]`);
    expect(term.cursorRow()).toContain(String(container.ns));
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });

  it('--readonly refuses e too', async () => {
    const lab = await startLab('peers');
    term = new Term(['--readonly', '--pid', String(lab.info.ns1.pid)], { env: { SHELL: '/bin/sh' } });
    await term.selected(lab.info.ns1.ns);
    await term.press('e');
    await term.waitFor('read-only (--readonly): actions are off');
    await term.press('q');
    await lab.stop();
  });
});

describeRoot('u: unshare a copy, K ends it, quit asks', () => {
  it("each propagation gives the expected tags; K and the quit prompt end only mntns's holders", async () => {
    const lab = await startLab('peers');
    const { ns1, X } = lab.info;
    term = new Term(['--pid', String(ns1.pid)], { cols: 160, rows: 40 });
    await term.selected(ns1.ns);
    const origin = await optFields(ns1.pid, X); // shared:N
    const made: number[] = [];
    const expectFor: Record<string, (f: string) => void> = {
      p: (f) => expect(f).toBe(''),
      v: (f) => expect(f).toBe(origin.replace('shared', 'master')),
      s: (f) => expect(f).toBe(origin),
      u: (f) => expect(f).toBe(origin),
    };
    for (const key of ['p', 'v', 's', 'u']) {
      // Back on the lab namespace, then u and the propagation key.
      await term.press('/', ...String(ns1.ns), 'enter', 'u');
      await term.waitFor('How should the copy propagate?');
      await term.press(key);
      const s = await term.waitFor(/made mnt:\[(\d+)\] .* held by mntns/, 15_000);
      const inode = Number(/made mnt:\[(\d+)\]/.exec(s)![1]);
      made.push(inode);
      // Held by an fd of mntns alone: no process of its own (nothing of the namespace runs).
      const holders = holdersOf(inode);
      expect(
        holders.every((h) => /^\/proc\/\d+\/fd\/\d+$/.test(h)),
        holders.join(' '),
      ).toBe(true);
      expectFor[key](await optFieldsVia(holders[0], X));
      await term.waitFor(new RegExp(`${inode} +M`));
      expect(term.screen()).not.toMatch(/\d+ IM /); // never the host: it starts there, but is no copy
    }
    // K ends the selected one (the last made, selected after u).
    const last = made.pop()!;
    await term.press('K');
    await term.waitFor(`ended the holder of mnt:[${last}]`);
    expect(await heldAfter(last)).toEqual([]);
    // K on a namespace mntns did not make refuses.
    await term.press('g', 'K');
    await term.waitFor('K only ends mntns');
    // q asks; Enter ends the rest.
    await term.press('q');
    await term.waitFor(`mntns made ${made.length} mount namespaces`);
    await term.press('enter');
    expect(await term.wait()).toBe(0);
    for (const inode of made) expect(await heldAfter(inode), `mnt:[${inode}]`).toEqual([]);
    await lab.stop();
  });

  it('kill -9 of mntns leaves nothing it made: no namespace, no holder', async () => {
    const lab = await startLab('peers');
    term = new Term(['--rescan', '60', '--pid', String(lab.info.ns1.pid)], { cols: 160, rows: 40 });
    await term.selected(lab.info.ns1.ns);
    await term.press('u', 'v');
    const inode = Number(/made mnt:\[(\d+)\]/.exec(await term.waitFor(/made mnt:\[\d+\]/, 15_000))![1]);
    expect(holdersOf(inode).length).toBeGreaterThan(0);
    // The copy is followed live, though no process is in it: a mount in the
    // original reaches the slave copy on screen well before any rescan (the
    // first re-read is a second after start, the next one 60 s later).
    await new Promise((r) => setTimeout(r, 1500));
    await inNs(lab.info.ns1.pid, ['mkdir', '-p', `${lab.info.X}/live-sub`]);
    await inNs(lab.info.ns1.pid, ['mount', '-t', 'tmpfs', 'live', `${lab.info.X}/live-sub`]);
    await term.press('tab');
    await term.waitFor('live-sub', 2000);
    term.pty.kill('SIGKILL');
    await term.wait();
    expect(await heldAfter(inode)).toEqual([]);
    await lab.stop();
  });

  it('quit → keep hands the namespaces to a process that outlives mntns, says which, and a later mntns finds them', async () => {
    const lab = await startLab('peers');
    term = new Term(['--pid', String(lab.info.ns1.pid)], { cols: 160, rows: 40 });
    await term.selected(lab.info.ns1.ns);
    await term.press('u', 'p');
    const inode = Number(/made mnt:\[(\d+)\]/.exec(await term.waitFor(/made mnt:\[\d+\]/, 15_000))![1]);
    await term.press('q');
    await term.waitFor('mntns made 1 mount namespace');
    await term.press('n');
    expect(await term.wait()).toBe(0);
    const said = /kept mnt:\[(\d+)\], held by pid (\d+) \(mntns-kept\)/.exec(term.screen());
    expect(said?.[1]).toBe(String(inode));
    const keeper = Number(said![2]);
    try {
      expect(holdersOf(inode)).toEqual([expect.stringMatching(new RegExp(`^/proc/${keeper}/fd/\\d+$`))]);
      expect(readFileSync(`/proc/${keeper}/cmdline`, 'utf8').split('\0')[0]).toBe('mntns-kept');
      const later = JSON.parse((await runCli(['--json', '--ns', String(inode)])).stdout);
      expect(later.namespaces[0].holders).toEqual([expect.objectContaining({ kind: 'fd', pid: keeper })]);
      // A later TUI marks it as made by mntns (flag M), as the session that made it did.
      term = new Term(['--ns', String(inode)], { cols: 160, rows: 40 });
      expect(await term.selectNamespace(inode)).toMatch(new RegExp(`${inode} +M`));
      await term.press('q');
      expect(await term.wait()).toBe(0);
    } finally {
      process.kill(keeper, 'SIGKILL');
    }
    expect(await heldAfter(inode)).toEqual([]);
    await lab.stop();
  });
});

describeRoot('mntns lab', () => {
  it('starts, shows only its experiments with a LAB banner, and leaves nothing behind after q', async () => {
    term = new Term(['lab'], { cols: 160, rows: 40 });
    const s = await term.waitFor((x) => x.includes('LAB:') && x.includes('lab:proc-host') && /refreshed \d\d:/.test(x), 30_000);
    for (const name of ['lab:container-leaks', 'lab:container-fixed', 'lab:peer-copy', 'lab:slave-copy', 'lab:proc-host']) expect(s).toContain(name);
    expect(s).not.toContain('[kthreadd]');
    expect(s).not.toMatch(/^[ >] [▸▾ ] \d+ I/m); // the host namespace is not listed
    // The leak is diagnosed right there.
    expect(s.split('\n').find((l) => l.includes('lab:container-leaks'))).toMatch(/!/);
    // Each experiment goes by its role, not by the sleep that holds it.
    await term.press('/', ...'container-leaks', 'enter');
    await term.waitFor(/mnt:\[\d+\] lab:container-leaks · \d+ mounts/);
    // Other test files run labs of their own meanwhile: check this lab's namespaces and files by name.
    const labNs = [...s.matchAll(/(\d{6,}) .*lab:/g)].map((m) => m[1]);
    expect(labNs.length).toBeGreaterThanOrEqual(5);
    // Actions work in the lab: a copy made with u shows up in the lab's list.
    await term.press('/', ...'peer-copy', 'enter', 'u', 'p');
    await term.waitFor(/made mnt:\[\d+\]/, 15_000);
    await term.waitFor(/\d+ +M/);
    await term.press('q');
    await term.waitFor('mntns made 1 mount namespace');
    await term.press('enter');
    expect(await term.wait()).toBe(0);
    for (const ns of labNs) expect(await heldAfter(Number(ns)), `mnt:[${ns}]`).toEqual([]);
    const alive = (await run('lsns', ['-t', 'mnt', '-n', '-o', 'NS'])).trim().split('\n');
    expect(labNs.filter((ns) => alive.includes(ns))).toEqual([]);
    expect(readdirSync('/tmp').filter((f) => f.startsWith('mntns-tui-lab.'))).toEqual([]);
    expect(await run('grep', ['-c', 'mntns-tui-lab', '/proc/self/mountinfo']).catch(() => '0\n')).toBe('0\n');
  });

  it('at 100 columns: paths elided in the middle; Shift+→ shows them whole, Shift+← fits them again; t names them under their parent', async () => {
    term = new Term(['lab'], { cols: 100, rows: 30 });
    const list = await term.waitFor((x) => x.includes('LAB:') && /refreshed \d\d:/.test(x), 30_000);
    // Names too long for the list keep the end that tells them apart.
    expect(list).toMatch(/lab:co…leaks/);
    expect(list).toMatch(/lab:co…fixed/);
    await term.press('/', ...'container-leaks', 'enter');
    await term.waitFor(/mnt:\[\d+\] lab:container-leaks · \d+ mounts/);
    await term.press('tab');
    const fitted = await term.waitFor(/─\/tmp\/…\/host-root\/mnt/);
    expect(fitted).not.toMatch(/mntns-tui-lab\.\w+\/host-root\/mnt/);
    await term.press('\x1b[1;2C');
    const whole = await term.waitFor(/─\/tmp\/mntns-tui-lab\.\w+\/host-root\/mnt/);
    expect(whole).toContain('wide: whole lines');
    await term.press('\x1b[1;2C');
    await term.waitFor('wide: from column 21');
    await term.press('\x1b[1;2D', '\x1b[1;2D');
    await term.waitFor('lines fitted to the pane');
    await term.waitFor(/─\/tmp\/…\/host-root\/mnt/);
    await term.press('t');
    await term.waitFor(/[├└]─mnt\b/);
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });

  it('kill -9 of mntns lab takes the lab with it: its processes, namespaces and files', async () => {
    term = new Term(['lab'], { cols: 160, rows: 40 });
    const s = await term.waitFor((x) => x.includes('LAB:') && x.includes('lab:proc-host') && /refreshed \d\d:/.test(x), 30_000);
    const labNs = [...s.matchAll(/(\d{6,}) .*lab:/g)].map((m) => Number(m[1]));
    expect(labNs.length).toBeGreaterThanOrEqual(5);
    const before = readdirSync('/tmp').filter((f) => f.startsWith('mntns-tui-lab.'));
    term.pty.kill('SIGKILL');
    await term.wait();
    for (const ns of labNs) expect(await heldAfter(ns), `mnt:[${ns}]`).toEqual([]);
    const left = readdirSync('/tmp').filter((f) => f.startsWith('mntns-tui-lab.') && before.includes(f));
    expect(left).toEqual([]);
  });
});

describeRoot('u runs nothing of the namespace it copies', () => {
  it('with unshare, sleep, nsenter and sh replaced by marker scripts inside the namespace, u makes the copy and no marker runs', async () => {
    const lab = await startLab('peers');
    const { ns1, lab: dir } = lab.info;
    // Inside the lab namespace only (its / is a private copy): a "container image" that
    // ships its own binaries. Each writes a marker if it ever runs.
    const marker = `${dir}/planted-ran`;
    await inNs(ns1.pid, ['sh', '-c', `printf '#!/bin/sh\\necho "$0 ran as $(id -u)" >> ${marker}\\n' > ${dir}/plant && chmod 755 ${dir}/plant`]);
    for (const bin of ['/usr/bin/unshare', '/usr/bin/sleep', '/usr/bin/nsenter', '/bin/sh', '/usr/bin/env']) {
      if (existsSync(`/proc/${ns1.pid}/root${bin}`)) await inNs(ns1.pid, ['mount', '--bind', `${dir}/plant`, bin]);
    }
    term = new Term(['--pid', String(ns1.pid)], { cols: 160, rows: 40 });
    await term.selected(ns1.ns);
    await term.press('u', 'v');
    const inode = Number(/made mnt:\[(\d+)\]/.exec(await term.waitFor(/made mnt:\[\d+\]/, 15_000))![1]);
    expect(holdersOf(inode).length).toBeGreaterThan(0);
    expect(existsSync(`/proc/${ns1.pid}/root${marker}`)).toBe(false);
    await term.press('q');
    await term.waitFor('mntns made 1 mount namespace');
    await term.press('enter');
    expect(await term.wait()).toBe(0);
    expect(existsSync(`/proc/${ns1.pid}/root${marker}`)).toBe(false);
  });
});

describeRoot("e as the namespace's processes run, or as host root", () => {
  it("a enters all of its process's namespaces (its PID namespace too); h only its mount namespace", async () => {
    const lab = await startLab('proc');
    const { pidns } = lab.info;
    const theirs = readlinkSync(`/proc/${pidns.pid}/ns/pid`);
    const ours = readlinkSync('/proc/self/ns/pid');
    expect(theirs).not.toBe(ours);
    term = new Term(['--pid', String(pidns.pid)], { cols: 160, rows: 40, env: { SHELL: '/bin/sh' } });
    await term.selected(pidns.ns);
    const shell = async (key: 'a' | 'h'): Promise<void> => {
      await term!.press('e');
      await term!.waitFor('How should it run?');
      await term!.press(key);
      await term!.waitFor('exit it to come back');
    };
    const leave = async (): Promise<void> => {
      term!.pty.write('exit\r');
      await term!.waitFor(`back from mnt:[${pidns.ns}]`);
    };
    // a takes the namespaces of the process furthest from us: the one in the new PID
    // namespace, whose /proc (the trap) is that namespace's own.
    await shell('a');
    expect(term.screen()).toContain(`as pid ${pidns.pid} runs: its namespaces, root, uid 0 and its`);
    const bounding = /^CapBnd:\s*(\w+)/m.exec(readFileSync(`/proc/${pidns.pid}/status`, 'utf8'))![1];
    term.pty.write('echo ROUND-a PIDNS=$(readlink /proc/self/ns/pid) MNT=$(readlink /proc/self/ns/mnt) $(grep CapBnd /proc/self/status)\r');
    // Not anchored: the shell's prompt may stand before its output (typed-ahead line).
    expect(await term.waitFor(/ROUND-a PIDNS=pid:\[\d+\] MNT=\S+ CapBnd/)).toContain(`ROUND-a PIDNS=${theirs} MNT=mnt:[${pidns.ns}] CapBnd: ${bounding}`);
    await leave();
    // h: the mount namespace only; the shell is a process of this host's PID namespace
    // (which the namespace's /proc cannot show: read from ours).
    await shell('h');
    expect(term.screen()).toContain('as HOST ROOT');
    term.pty.write('echo ROUND-h SHELL=$$.\r');
    const pid = Number(/ROUND-h SHELL=(\d+)\./.exec(await term.waitFor(/ROUND-h SHELL=\d+\./))![1]);
    expect([readlinkSync(`/proc/${pid}/ns/pid`), readlinkSync(`/proc/${pid}/ns/mnt`)]).toEqual([ours, `mnt:[${pidns.ns}]`]);
    await leave();
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });
});

describeRoot('e and a namespace that plants its own shell', () => {
  it("runs it only after a choice, and as chosen: a inside its PID namespace, h as this host's", async () => {
    const lab = await startLab('proc');
    const { pidns, lab: dir } = lab.info;
    const inProc = (...argv: string[]) => run('nsenter', ['-t', String(pidns.pid), '-m', '--', ...argv]);
    const marker = `${dir}/shell-ran`;
    // Its /bin/sh (dash) is a marker script (bash runs the script, so it is no loop).
    await inProc('sh', '-c', `printf '#!/bin/bash\\necho "ran pidns=$(readlink /proc/self/ns/pid)" >> ${marker}\\n' > ${dir}/fake-sh && chmod 755 ${dir}/fake-sh`);
    await inProc('mount', '--bind', `${dir}/fake-sh`, '/usr/bin/dash');
    const ran = (): string[] => {
      try {
        return readFileSync(`/proc/${pidns.pid}/root${marker}`, 'utf8').trim().split('\n').filter(Boolean);
      } catch {
        return [];
      }
    };
    term = new Term(['--pid', String(pidns.pid)], { cols: 160, rows: 40, env: { SHELL: '/bin/sh' } });
    await term.selected(pidns.ns);
    // e asks first: cancelled, nothing of the namespace ran.
    await term.press('e');
    await term.waitFor('How should it run?');
    await term.press('esc');
    await term.waitFor((s) => !s.includes('How should it run?'));
    expect(ran()).toEqual([]);
    // a: the planted shell runs inside the namespace's own PID namespace; h: as this host's.
    const theirs = readlinkSync(`/proc/${pidns.pid}/ns/pid`);
    for (const [i, key] of ['a', 'h'].entries()) {
      await term.press('e');
      await term.waitFor('How should it run?');
      await term.press(key);
      // The planted shell wrote its line and exited; the TUI is back.
      await term.waitFor(() => ran().length === i + 1, 10_000);
      await term.waitFor((s) => s.includes(`back from mnt:[${pidns.ns}]`) && !s.includes('How should it run?'));
    }
    expect(ran()).toEqual([`ran pidns=${theirs}`, 'ran pidns=']);
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });
});

describeRoot('e → Enter on a process in a user namespace of its own', () => {
  it('enters as it runs by default: its user namespace and uid there, its bounding set; exit comes back', async () => {
    const pid = await usernsTarget();
    const ns = Number(/\d+/.exec(readlinkSync(`/proc/${pid}/ns/mnt`))![0]);
    term = new Term(['--pid', String(pid)], { cols: 200, rows: 40, env: { SHELL: '/bin/sh' } });
    await term.selected(ns);
    await term.press('e');
    await term.waitFor('How should it run?');
    await term.press('enter');
    await term.waitFor('exit it to come back');
    expect(term.screen()).toContain(`as pid ${pid} runs: its user namespace (its uid there)`);
    term.pty.write('echo R-U UID=$(id -u) $(grep CapBnd /proc/self/status) USERNS=$(readlink /proc/self/ns/user)\r');
    expect(await term.waitFor(/R-U UID=\d+ CapBnd:\s+\w+ USERNS=\S+/)).toMatch(
      new RegExp(`R-U UID=1000 CapBnd:\\s+0000000000000001 USERNS=user:\\[${/\d+/.exec(readlinkSync(`/proc/${pid}/ns/user`))![0]}\\]`),
    );
    term.pty.write('exit\r');
    await term.waitFor(`back from mnt:[${ns}]`);
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });
});

/**
 * launchShell({ asProcess }) against real processes in real namespaces: the shell
 * takes the target's namespaces, root, working directory, ids, groups,
 * capability bounding set and no_new_privs — and mntns's own threads keep theirs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, expect, it } from 'vitest';
import { launchShell, type EnterJob } from '../../src/sys/enter-shell.js';
import { inUsernsArgv } from '../../src/sys/nsenter.js';
import { parseCredentials } from '../../src/sys/credentials.js';
import { describeRoot } from '../helpers/lab.js';
import { usernsTarget } from '../helpers/targets.js';

const started: ChildProcess[] = [];
const targets: number[] = [];
afterEach(() => {
  // The target first, by its pid: it is pid 1 of its PID namespace (SIGKILL from
  // here reaches it, and takes the namespace's other processes with it), and
  // unshare's --kill-child does not hold once setpriv has changed its ids.
  for (const pid of targets.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  for (const p of started.splice(0)) p.kill('SIGKILL');
});

const NS = ['mnt', 'uts', 'ipc', 'net', 'pid', 'cgroup'] as const;

/**
 * A process in new mount, UTS, IPC, net and PID namespaces, chrooted into a tmpfs
 * of its own (/usr bound in), in /work, as `setpriv` makes it; its host pid.
 */
async function target(setpriv: string): Promise<number> {
  const links = ['bin', 'lib', 'lib64', 'sbin']
    .map((d) => `if [ -L /${d} ]; then ln -s "$(readlink /${d})" "$R/${d}"; elif [ -d /${d} ]; then mkdir "$R/${d}" && mount --rbind /${d} "$R/${d}"; fi`)
    .join('\n');
  // Inside the private copy only: its /tmp is a tmpfs of its own, and the chroot lives there.
  const script = `set -e
mount -t tmpfs enter-test /tmp
R=/tmp/root
mkdir -p "$R/usr" "$R/proc" "$R/work"
mount --rbind /usr "$R/usr"
${links}
mount -t proc proc "$R/proc"
touch "$R/I-AM-ITS-ROOT"
chmod 777 "$R/work"
hostname enter-test
exec chroot "$R" setpriv ${setpriv} -- sh -c 'cd /work && exec sleep 300'`;
  const p = spawn('unshare', ['--mount', '--uts', '--ipc', '--net', '--pid', '--fork', '--kill-child', '--propagation', 'private', '--', 'sh', '-c', script], { stdio: 'ignore' });
  started.push(p);
  for (let i = 0; i < 200; i++) {
    let kids: string[] = [];
    try {
      kids = readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      /* not there yet */
    }
    const pid = Number(kids[0]);
    if (pid && !targets.includes(pid)) targets.push(pid);
    if (pid && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep' && readlinkSync(`/proc/${pid}/cwd`).endsWith('/work')) return pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('target did not start');
}

/** Runs `script` in a shell as `pid` runs; its exit status or the error's message. */
function runAs(pid: number, script: string): Promise<number | string> {
  const job: EnterJob = { pid, procRoot: '/proc', shell: 'sh', args: ['-c', script], env: { PATH: '/usr/bin:/bin' } };
  return new Promise((resolve) => {
    const child = launchShell({ asProcess: job });
    child.once('exit', (code) => resolve(code ?? -1));
    child.once('error', (e) => resolve(e.message));
  });
}

/** What the shell wrote about itself into the target's /work (read through its root from here). */
const report = (pid: number): string => readFileSync(`/proc/${pid}/root/work/report`, 'utf8');
const SELF = 'cat /proc/self/status > report; for n in mnt uts ipc net pid cgroup; do readlink /proc/self/ns/$n; done > ns; pwd > pwd; ls / > ls; hostname > hostname';
const credsOf = (status: string) => parseCredentials(status);
const field = (status: string, name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)![1].trim();

/** Every thread of this process: its mount namespace, uids and effective capabilities. */
function ourThreads(): string[] {
  return readdirSync('/proc/self/task').map((t) => {
    const status = readFileSync(`/proc/self/task/${t}/status`, 'utf8');
    return `${readlinkSync(`/proc/self/task/${t}/ns/mnt`)} ${field(status, 'Uid')} ${field(status, 'CapEff')} ${field(status, 'CapBnd')}`;
  });
}

describeRoot('a shell as a process of another namespace runs', () => {
  it('takes its namespaces, root, cwd, ids, groups, bounding set and no_new_privs; our threads keep ours', async () => {
    const before = new Set(ourThreads());
    const pid = await target('--reuid 65534 --regid 65534 --groups 100,101 --no-new-privs --bounding-set -all,+chown,+kill');
    expect(await runAs(pid, SELF)).toBe(0);
    const theirs = readFileSync(`/proc/${pid}/status`, 'utf8');
    const shell = report(pid);
    expect(credsOf(shell)).toEqual(credsOf(theirs));
    expect(credsOf(shell)).toMatchObject({ uids: [65534, 65534, 65534], groups: [100, 101], bounding: 0b100001n, noNewPrivs: true });
    expect(field(shell, 'CapEff')).toBe('0000000000000000');
    const root = `/proc/${pid}/root/work`;
    expect(readFileSync(`${root}/ns`, 'utf8').trim().split('\n')).toEqual(NS.map((n) => readlinkSync(`/proc/${pid}/ns/${n}`)));
    expect(readFileSync(`${root}/pwd`, 'utf8').trim()).toBe('/work');
    expect(readFileSync(`${root}/ls`, 'utf8')).toContain('I-AM-ITS-ROOT');
    expect(readFileSync(`${root}/hostname`, 'utf8').trim()).toBe('enter-test');
    // Nothing of it stuck to mntns: every thread left has the namespace, ids and capabilities it had.
    for (const t of ourThreads()) expect(before).toContain(t);
  });

  it('as its uid 0, the shell has the capabilities of its bounding set and no more', async () => {
    const pid = await target('--bounding-set -all,+chown,+setuid,+setgid,+sys_chroot');
    expect(await runAs(pid, SELF)).toBe(0);
    const shell = report(pid);
    expect(field(shell, 'CapBnd')).toBe(field(readFileSync(`/proc/${pid}/status`, 'utf8'), 'CapBnd'));
    expect(field(shell, 'CapEff')).toBe(field(shell, 'CapBnd'));
    expect(BigInt(`0x${field(shell, 'CapEff')}`)).toBe((1n << 0n) | (1n << 6n) | (1n << 7n) | (1n << 18n));
  });

  it('refuses a process that is gone, or in a user namespace of its own, and says so', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    expect(await runAs(gone.pid!, 'true')).toMatch(/ESRCH|gone/);
    const inUserns = spawn('unshare', ['--user', '--map-root-user', '--', 'sleep', '300'], { stdio: 'ignore' });
    started.push(inUserns);
    for (let i = 0; i < 200 && readlinkSync(`/proc/${inUserns.pid}/ns/user`) === readlinkSync('/proc/self/ns/user'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await runAs(inUserns.pid!, 'true')).toBe('it is in a user namespace of its own');
  });
});

describeRoot('a shell as a process in a user namespace of its own runs', () => {
  it('enters that user namespace (host nsenter, then host node), then takes its uid there, namespaces and bounding set', async () => {
    const pid = await usernsTarget();
    const dir = mkdtempSync(`${tmpdir()}/mntns-userns.`);
    try {
      chmodSync(dir, 0o777);
      // The "shell": a script that reports on itself (uid 1000 there may write in dir).
      writeFileSync(`${dir}/report.sh`, `#!/bin/sh\ncat /proc/self/status > ${dir}/status\nfor n in user mnt pid; do readlink /proc/self/ns/$n; done > ${dir}/ns\n`, { mode: 0o755 });
      const status = await new Promise<number | string>((resolve) => {
        const child = launchShell({ argv: inUsernsArgv({ pid, procRoot: '/proc', shell: `${dir}/report.sh` }) });
        child.once('exit', (code) => resolve(code ?? -1));
        child.once('error', (e) => resolve(e.message));
      });
      expect(status).toBe(0);
      const shell = readFileSync(`${dir}/status`, 'utf8');
      expect(field(shell, 'Uid')).toBe('1000\t1000\t1000\t1000');
      expect(field(shell, 'Groups')).toBe('1000');
      expect(field(shell, 'CapBnd')).toBe('0000000000000001');
      expect(field(shell, 'CapEff')).toBe('0000000000000000');
      expect(readFileSync(`${dir}/ns`, 'utf8').trim().split('\n')).toEqual(['user', 'mnt', 'pid'].map((n) => readlinkSync(`/proc/${pid}/ns/${n}`)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

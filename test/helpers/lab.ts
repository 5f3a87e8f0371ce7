/**
 * Test helpers for real namespaces: start a ../shared/lab scenario, read its JSON
 * line, and always tear it down (close stdin, then SIGTERM, then SIGKILL by pid,
 * then whatever of its process group is left).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, onTestFinished } from 'vitest';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = process.env.MNTNS_SHARED ?? resolve(REPO, '../shared');
export const CLI = resolve(REPO, 'dist/cli.js');
export const isRoot = process.getuid?.() === 0;
export const hasLab = existsSync(`${SHARED}/lab/scenario`);

/** `describe` for tests that build real namespaces; skipped with the reason in its title otherwise. */
export function describeRoot(name: string, fn: () => void): void {
  if (isRoot && hasLab) describe(name, fn);
  else describe.skip(`${name} [skipped: ${!isRoot ? 'needs root' : `no lab at ${SHARED}/lab`}]`, fn);
}

export interface Lab<T = any> {
  info: T;
  proc: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<Lab>();

/**
 * A lab's own process group: the scenario's background jobs (holders, sleeps)
 * share it — a non-interactive bash has no job control. A SIGTERM that lands
 * between a job's `&` and the line that records its pid makes the scenario's
 * teardown miss that job (seen: a `sleep infinity` left running for an hour);
 * killing the group once the scenario has gone catches it.
 */
function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* ESRCH: nothing of it left */
  }
}

/** Ends a lab's scenario (stdin closed, SIGTERM, SIGKILL if it hangs) and whatever of its group outlives it. */
export async function endLab(proc: ChildProcess): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    // Node's stdio "pipes" are socketpairs, which the scenario does not treat as
    // a pipe to wait on, so SIGTERM is what ends it; SIGKILL if it hangs.
    proc.stdin!.end();
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(t);
  }
  if (proc.pid !== undefined) killGroup(proc.pid);
}

/** Starts a scenario (or `scale`) in a process group of its own; its JSON line comes on stdout. */
export function launchLab(name: string, args: string[] = []): ChildProcess {
  const cmd = name === 'scale' ? `${SHARED}/lab/scale` : `${SHARED}/lab/scenario`;
  const argv = name === 'scale' ? args : [name, ...args];
  return spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
}

/** Starts `scenario NAME` (or `scale` when name is 'scale') and waits for its JSON line. */
export async function startLab<T = any>(name: string, args: string[] = []): Promise<Lab<T>> {
  const proc = launchLab(name, args);
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const line = await new Promise<string>((res, rej) => {
    let buf = '';
    let t: NodeJS.Timeout | undefined;
    const onData = (d: Buffer) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(t);
        proc.stdout!.off('data', onData);
        res(buf.slice(0, nl));
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => rej(new Error(`${name} exited ${code} before it was ready: ${err}`)));
    // A scale lab takes minutes to build; a scenario, a second or two. The
    // timer ends with the wait: left running, it killed labs that lived 45 s.
    if (name !== 'scale') {
      t = setTimeout(() => {
        rej(new Error(`${name} not ready after 45 s: ${err}`));
        void endLab(proc);
      }, 45_000);
      t.unref();
    }
  });
  const lab: Lab<T> = {
    info: JSON.parse(line) as T,
    proc,
    stop: async () => {
      running.delete(lab);
      await endLab(proc);
    },
  };
  running.add(lab);
  // Started inside a test: it ends with that test, also when the test fails.
  // (In a beforeAll there is no test: the suite's afterAll stops it.)
  try {
    onTestFinished(() => lab.stop());
  } catch {
    /* not inside a test */
  }
  return lab;
}

/** Ends every lab still running (for afterAll, also after a failure). */
export async function stopAllLabs(): Promise<void> {
  await Promise.all([...running].map((l) => l.stop()));
}

const pexec = promisify(execFile);

/** Runs the built CLI; returns stdout, stderr and the exit code (never throws on exit != 0). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await pexec(process.execPath, [CLI, ...args], { env, maxBuffer: 1 << 30 });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number };
    return { stdout: x.stdout, stderr: x.stderr, code: x.code };
  }
}

/** Runs any command with an argv array; throws on failure. */
export async function run(cmd: string, args: string[]): Promise<string> {
  return (await pexec(cmd, args, { maxBuffer: 1 << 30 })).stdout;
}

/**
 * What keeps a mount namespace alive, as links in /proc: every
 * /proc/PID/ns/mnt and /proc/PID/fd/N that points at it (empty once nothing does).
 */
export function holdersOf(inode: number): string[] {
  const want = `mnt:[${inode}]`;
  const out: string[] = [];
  const link = (p: string): string | null => {
    try {
      return readlinkSync(p);
    } catch {
      return null;
    }
  };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (link(`/proc/${pid}/ns/mnt`) === want) out.push(`/proc/${pid}/ns/mnt`);
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) if (link(`/proc/${pid}/fd/${fd}`) === want) out.push(`/proc/${pid}/fd/${fd}`);
  }
  return out;
}

/** Waits until nothing holds the namespace (up to `ms`); what still holds it. */
export async function heldAfter(inode: number, ms = 2000): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const h = holdersOf(inode);
    if (h.length === 0 || Date.now() > deadline) return h;
    await new Promise((r) => setTimeout(r, 50));
  }
}

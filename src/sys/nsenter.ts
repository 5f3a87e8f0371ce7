/**
 * The util-linux commands mntns runs, as argv arrays with `--` before the
 * command: nothing here is ever parsed by a shell.
 */
import { spawn } from 'node:child_process';
import { threadEntry } from './threads.js';

/** A shell in a namespace's mount namespace only, as host root (`nsenter -m`): through a process, or an nsfs path. */
export function enterMountArgv(via: { pid: number } | { path: string }, shell: string): string[] {
  return 'pid' in via ? ['nsenter', '-t', String(via.pid), '-m', '--', shell] : ['nsenter', `--mount=${via.path}`, '--', shell];
}

/**
 * The argv that starts a shell as `pid` runs when it is in a user namespace of
 * its own: host nsenter enters that user namespace (single-threaded, as the
 * kernel wants), then host node runs enter-helper.js there.
 */
export function inUsernsArgv(job: { pid: number; procRoot: string; shell: string }): string[] {
  return ['nsenter', '-t', String(job.pid), '-U', '--', process.execPath, threadEntry(import.meta.url, './enter-helper.js'), String(job.pid), job.procRoot, job.shell];
}

/**
 * A host `sleep` (our own PATH, our own namespace: nothing of the namespaces it
 * holds runs) that inherits `fds` and outlives mntns; its pid, or null.
 */
export function spawnKeeper(name: string, fds: number[]): number | null {
  const keeper = spawn('sleep', ['infinity'], { argv0: name, detached: true, stdio: ['ignore', 'ignore', 'ignore', ...fds] });
  keeper.on('error', () => {});
  keeper.unref();
  return keeper.pid ?? null;
}

/**
 * The util-linux commands mntns runs, as argv arrays with `--` before the
 * command: nothing here is ever parsed by a shell.
 */
import { spawn } from 'node:child_process';

/** A shell in a namespace's mount namespace only, as host root (`nsenter -m`): through a process, or an nsfs path. */
export function enterMountArgv(via: { pid: number } | { path: string }, shell: string): string[] {
  return 'pid' in via ? ['nsenter', '-t', String(via.pid), '-m', '--', shell] : ['nsenter', `--mount=${via.path}`, '--', shell];
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

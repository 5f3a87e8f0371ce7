/**
 * `node enter-helper.js PID PROCROOT SHELL`, run by `nsenter -t PID -U` (host
 * binaries both): for a process in a user namespace of its own. Entering a user
 * namespace takes a single-threaded process, which nsenter is; once this
 * process is inside it (root there, with that namespace's capabilities only),
 * the shell is started exactly as for any other process (enter-thread.ts): the
 * target's other namespaces, root, ids, groups and capability bounding set.
 * Exits with the shell's status; a hang-up or SIGTERM is passed on to it.
 */
import { constants } from 'node:os';
import { launchShell } from './enter-shell.js';
import { detachStdio } from './tty.js';

const [pid, procRoot, shell] = process.argv.slice(2);
const shellProcess = launchShell({ asProcess: { pid: Number(pid), procRoot, shell, env: process.env } });
// A Ctrl-C typed in a shell without job control reaches our process group too: it is the shell's.
process.on('SIGINT', () => {});
for (const sig of ['SIGHUP', 'SIGTERM'] as const) process.on(sig, () => shellProcess.kill(sig));
const leave = (code: number): void => {
  // The terminal may be gone: Node's own reset of it at exit must not abort (nodejs/node#51519).
  detachStdio();
  process.exit(code);
};
shellProcess.once('exit', (code, signal) => leave(code ?? 128 + (signal ? constants.signals[signal] : 0)));
shellProcess.once('error', (e) => {
  process.stderr.write(`mntns: ${e.message}\n`);
  leave(126);
});

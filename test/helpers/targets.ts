/** Target processes for tests of entering namespaces, killed by pid when the test ends (also when it fails). */
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { onTestFinished } from 'vitest';

/** SIGKILL to a pid that may be gone (a target is pid 1 of its PID namespace: only SIGKILL from here ends it). */
function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
}

/**
 * A process in a user namespace of its own (uid 0 there is host root, 1000 there
 * is host 101000), in new mount and PID namespaces owned by it, running as its
 * uid 1000 with a bounding set of CAP_CHOWN only; its host pid.
 */
export async function usernsTarget(): Promise<number> {
  const inner = `unshare --mount --pid --fork --kill-child --mount-proc setpriv --reuid 1000 --regid 1000 --groups 1000 --bounding-set -all,+chown -- sleep 300`;
  const p = spawn('unshare', ['--user', '--', 'sh', '-c', `read go && exec ${inner}`], { stdio: ['pipe', 'ignore', 'ignore'] });
  onTestFinished(() => void p.kill('SIGKILL'));
  for (let i = 0; i < 200 && readlinkSync(`/proc/${p.pid}/ns/user`) === readlinkSync('/proc/self/ns/user'); i++) await new Promise((r) => setTimeout(r, 25));
  writeFileSync(`/proc/${p.pid}/uid_map`, '0 0 1\n1000 101000 1\n');
  writeFileSync(`/proc/${p.pid}/gid_map`, '0 0 1\n1000 101000 1\n');
  p.stdin!.end('go\n');
  for (let i = 0; i < 200; i++) {
    try {
      const pid = Number(readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
      if (pid) {
        onTestFinished(() => kill(pid));
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep') return pid;
      }
    } catch {
      /* not there yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('user namespace target did not start');
}

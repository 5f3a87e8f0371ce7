/**
 * A lab stopped at any moment of its start leaves nothing running: `mntns lab`'s
 * own script (lab/mntns-lab.sh) by itself, a ../shared/lab scenario through the
 * test helpers. Found as a `sleep infinity` left for an hour: a SIGTERM landing
 * between a job's `&` and the line recording its pid; for the lab's PID-namespace
 * pair (unshare --fork ignores TERM) it happened in 6 of 40 stops. Stopped here
 * after 0 to 390 ms, in steps, so every phase of the start is hit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { REPO, describeRoot, endLab, launchLab } from '../helpers/lab.js';

/** Live (not zombie) processes of a process group. */
function liveIn(pgid: number): string[] {
  const out: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid && f[0] !== 'Z') out.push(`${d} ${st.slice(st.indexOf('('), st.lastIndexOf(')') + 1)}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

/** Waits for a group to empty (its dead are reaped by init a moment later); what is still alive then. */
async function leftIn(pgid: number): Promise<string[]> {
  for (let i = 0; i < 40 && liveIn(pgid).length; i++) await sleep(25);
  return liveIn(pgid);
}

describeRoot('a lab stopped while it starts', () => {
  it("mntns lab's script ends its whole process group, whenever the SIGTERM comes", { timeout: 60_000 }, async () => {
    for (let i = 0; i < 14; i++) {
      // As src/lab.ts starts it: a process group of its own.
      const p = spawn(`${REPO}/lab/mntns-lab.sh`, [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      try {
        await sleep(i * 30);
        p.kill('SIGTERM');
        await exited(p);
        expect(await leftIn(p.pid!), `stopped after ${i * 30} ms`).toEqual([]);
      } finally {
        try {
          process.kill(-p.pid!, 'SIGKILL');
        } catch {
          /* nothing left */
        }
      }
    }
  });

  it('a scenario stopped by the helpers leaves nothing of its group, whenever it is stopped', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 14; i++) {
      const p = launchLab('leak');
      await sleep(i * 30);
      await endLab(p);
      expect(await leftIn(p.pid!), `stopped after ${i * 30} ms`).toEqual([]);
    }
  });
});

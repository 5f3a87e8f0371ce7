/**
 * How the built CLI ends when things go wrong around it: a reader that went
 * away (`mntns --json | head -c 100`), a process that is not there.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/lab.js';

/** Runs mntns with its stdout's reader gone before it writes; its exit code and stderr. */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // like `| head -c 0`: every write gets EPIPE
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((res) => child.once('close', (code, signal) => res({ code, signal, stderr })));
}

describe('the CLI when things go wrong around it', () => {
  it.each([['--json'], ['--tree']])('%s into a closed pipe ends quietly with 0 (no EPIPE trace)', async (flag) => {
    const r = await intoClosedPipe([flag]);
    expect(r).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('watch --pid of a process that is not there says so and exits 1 at once', async () => {
    const t = Date.now();
    const child = spawn(process.execPath, [CLI, 'watch', '--pid', '999999999'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise((res) => child.once('close', (c, s) => res(c ?? s)));
    clearTimeout(killer);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^mntns: no such process: 999999999/);
    expect(Date.now() - t).toBeLessThan(8_000);
  });
});

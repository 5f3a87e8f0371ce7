/** Namespaces with no process: found through nsfs bind mounts and fds, and read through a worker thread. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/types.js';
import { describeRoot, REPO, runCli } from '../helpers/lab.js';

describeRoot('process-less namespaces', () => {
  let proc: ReturnType<typeof spawn>;
  let info: { lab: string; pinned: number; held: number; holder: number; pin: string };
  beforeAll(async () => {
    proc = spawn(`${REPO}/test/fixtures/held-namespaces.sh`, [], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    const line = await new Promise<string>((res, rej) => {
      proc.stdout!.once('data', (d) => res(String(d).split('\n')[0]));
      proc.once('exit', (code) => rej(new Error(`held-namespaces.sh exited ${code}: ${err}`)));
    });
    info = JSON.parse(line);
  });
  afterAll(async () => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    // A fixture that ignores or outlasts SIGTERM still goes, by its pid.
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(t);
  });

  it('lists a pinned namespace with its bind-mount holder and reads its mounts', async () => {
    const r = await runCli(['--json']);
    const s = JSON.parse(r.stdout) as Snapshot;
    const ns = s.namespaces.find((n) => n.inode === info.pinned)!;
    expect(ns).toBeDefined();
    expect(ns.processes).toEqual([]);
    expect(ns.readVia).toBeNull();
    expect(ns.holders).toEqual([expect.objectContaining({ kind: 'bind', path: info.pin })]);
    expect(ns.mounts.find((m) => m.target === '/mnt')?.source).toBe('pinned-fs');
  });

  it('lists an fd-held namespace with the holding pid and fd and reads its mounts', async () => {
    const s = JSON.parse((await runCli(['--json'])).stdout) as Snapshot;
    const ns = s.namespaces.find((n) => n.inode === info.held)!;
    expect(ns.processes).toEqual([]);
    expect(ns.holders).toEqual([{ kind: 'fd', pid: info.holder, fd: 3 }]);
    expect(ns.mounts.find((m) => m.target === '/mnt')?.source).toBe('fd-fs');
  });

  it('--ns selects a process-less namespace; --tree says who holds it', async () => {
    const r = await runCli(['--tree', '--ns', String(info.pinned)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[no processes]');
    expect(r.stdout).toContain(`held by bind mount ${info.pin}`);
    expect(r.stdout).toMatch(/\/mnt\s+tmpfs\s+pinned-fs/);
  });
});

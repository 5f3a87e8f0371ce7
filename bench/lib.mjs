// Shared benchmark helpers: lab lifecycle, timing of whole commands, a table printer.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.MNTNS_SHARED ?? resolve(REPO, '../shared');
export const CLI = resolve(REPO, 'dist/cli.js');

/**
 * Starts a lab script and resolves with { info, stop }. In a process group of
 * its own: stop() kills what of the group outlives the script (a job started
 * just as the SIGTERM came is missed by its teardown; test/helpers/lab.ts).
 */
export function startLab(cmd, args) {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
    const killGroup = () => {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // nothing of it left
      }
    };
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0 && buf !== null) {
        const line = buf.slice(0, nl);
        buf = null;
        res({
          info: JSON.parse(line),
          stop: () =>
            new Promise((r) => {
              p.once('exit', () => {
                killGroup();
                r();
              });
              p.kill('SIGTERM');
            }),
        });
      }
    });
    p.once('exit', (c) => rej(new Error(`${cmd} exited ${c}`)));
  });
}

/** Wall time (ms) of a synchronous command run; throws when it fails. */
export function timeCmd(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8', ...opts });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export function flag(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from '../helpers/lab.js';
import { fakeProcess } from '../helpers/model.js';

// A thread's start sets V8's flags back to their defaults, so the flag holds only
// if the thread sets it again: measured in a fresh node, not in the runner's.
function youngGenerationMb(mode: 'small' | 'default'): number {
  const r = spawnSync(process.execPath, [`${REPO}/test/fixtures/young-generation.mjs`, mode], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } });
  expect(r.stderr).toBe('');
  return Number(r.stdout) / 2 ** 20;
}

describe('keepYoungGenerationSmall (a one-shot snapshot)', () => {
  it('keeps the young generation at a few MB, also after a reader thread has started', () => {
    expect(youngGenerationMb('small')).toBeLessThanOrEqual(4);
  });
  it('without it (the TUI) V8 grows it as usual: the check above can fail', () => {
    expect(youngGenerationMb('default')).toBeGreaterThanOrEqual(16);
  });
  it('mntns --json holds it through its reader threads and its model (1,100 processes, 80,000 mounts)', () => {
    const dir = mkdtempSync(`${tmpdir()}/mntns-heap.`);
    try {
      // Four namespaces, each read through its lowest pid, whose table is 20,000 distinct mounts.
      for (let pid = 100; pid < 1200; pid++) fakeProcess(dir, pid, 4026532000 + (pid % 4), '');
      for (let k = 0; k < 4; k++) {
        const lines = Array.from({ length: 20000 }, (_, i) => `${i + 2} 1 0:${40 + k} / /n${k}/m${i} rw shared:${i + 10} - tmpfs t${i} rw`);
        writeFileSync(`${dir}/${100 + k}/mountinfo`, ['1 0 0:1 / / rw - tmpfs root rw', ...lines].join('\n') + '\n');
      }
      const r = spawnSync(process.execPath, ['--import', `${REPO}/test/fixtures/young-generation-at-exit.mjs`, CLI, '--json', '--proc', dir], {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 1 << 30,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).namespaces.map((n: { mounts: unknown[] }) => n.mounts.length)).toEqual([20001, 20001, 20001, 20001]);
      expect(Number(/young (\d+)/.exec(r.stderr)![1]) / 2 ** 20).toBeLessThanOrEqual(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lab.js';

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
});

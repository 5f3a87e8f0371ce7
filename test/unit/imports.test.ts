/**
 * The rooms of src/ import one way (../shared/notes/architecture.md): each room
 * may import only rooms below it; model imports nothing of ours; nothing imports
 * ui/ or the top-level files (cli, tui, lab) but the top-level files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lab.js';

const SRC = join(REPO, 'src');

/** Higher imports lower; two rooms of one rank do not import each other. */
const RANK: Record<string, number> = {
  model: 0,
  util: 1,
  sys: 1,
  format: 1,
  proc: 2,
  discover: 3,
  watch: 4,
  actions: 5,
  store: 6,
  ui: 7,
  output: 7,
  '(top)': 8,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const roomOf = (file: string): string => {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? '(top)' : parts[0];
};

/** Every import of ours in src/, as [from file, to file] (relative to src/). */
function edges(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm)) {
      const spec = m[1] ?? m[2];
      const to = resolve(dirname(f), spec).replace(/\.js$/, '');
      const target = [`${to}.ts`, `${to}.tsx`].find((t) => {
        try {
          return statSync(t).isFile();
        } catch {
          return false;
        }
      });
      if (!target) throw new Error(`${relative(SRC, f)}: import '${spec}' resolves to no file`);
      out.push([f, target]);
    }
  }
  return out;
}

describe('imports run one way', () => {
  it('every room knows its rank', () => {
    for (const f of files(SRC)) expect(RANK, relative(SRC, f)).toHaveProperty([roomOf(f)]);
  });
  it('no edge against the order', () => {
    const wrong = edges()
      .filter(([from, to]) => {
        const a = roomOf(from);
        const b = roomOf(to);
        return a !== b && !(RANK[a] > RANK[b]);
      })
      .map(([from, to]) => `${relative(SRC, from)} → ${relative(SRC, to)}`);
    expect(wrong).toEqual([]);
  });
  it('the walk sees the imports (a broken walk would pass everything)', () => {
    const all = edges();
    expect(all.length).toBeGreaterThan(100);
    expect(all.some(([from, to]) => roomOf(from) === 'ui' && roomOf(to) === 'store')).toBe(true);
  });
});

/**
 * Ink's measurements kept between frames (scripts/ink-frame-caches.mjs, bundled
 * into the view): the same frames as Ink's own Output, its caches shared by the
 * frames and bounded, and the bundle really drawing with them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lab.js';

/** Ink's Output (not exported by the package: its file, as the bundle takes it). */
interface OutputLike {
  write(x: number, y: number, text: string, options: { transformers: unknown[] }): void;
  get(): { output: string };
}
type OutputClass = new (o: { width: number; height: number }) => OutputLike;
const InkOutput = (await import(`${REPO}/node_modules/ink/build/output.js`)).default as OutputClass;
const widestLine = (await import(`${REPO}/node_modules/widest-line/index.js`)).default as (text: string) => number;

interface Frames {
  Output: OutputClass;
  widestLine: (text: string) => number;
  cacheSizes: () => { styledChars: number; widths: number; widest: number };
  CACHE_LIMIT: number;
}
const cached = (await import(`${REPO}/scripts/ink-frame-caches.mjs`)) as Frames;

const draw = (Out: OutputClass, lines: string[]): string => {
  const o = new Out({ width: 40, height: lines.length });
  lines.forEach((l, y) => o.write(0, y, l, { transformers: [] }));
  return o.get().output;
};

describe("Ink's caches kept across frames", () => {
  const lines = ['> /srv/data  \x1b[33mshared:7\x1b[39m', '  └─/srv/日本語 \x1b[36mmaster:3\x1b[39m', '  plain'];
  it('draws what Ink draws, frame after frame', () => {
    for (let i = 0; i < 3; i++) expect(draw(cached.Output, lines)).toBe(draw(InkOutput, lines));
    for (const l of [...lines, 'a\nlonger line', '']) expect(cached.widestLine(l)).toBe(widestLine(l));
  });
  it('shares the caches between frames, and starts afresh past the limit', () => {
    draw(cached.Output, lines);
    const held = cached.cacheSizes().styledChars;
    draw(cached.Output, lines);
    expect(cached.cacheSizes().styledChars).toBe(held);
    for (let i = 0; i <= cached.CACHE_LIMIT + 1; i++) cached.widestLine(`line ${i}`);
    const o = new cached.Output({ width: 20, height: cached.CACHE_LIMIT + 2 });
    for (let i = 0; i <= cached.CACHE_LIMIT + 1; i++) o.write(0, i, `row ${i}`, { transformers: [] });
    o.get();
    new cached.Output({ width: 1, height: 1 }); // the next frame finds them over the limit
    const after = cached.cacheSizes();
    expect(after.styledChars).toBe(0);
    expect(after.widest).toBeLessThanOrEqual(cached.CACHE_LIMIT + 1);
  });
  it('is what the bundled view draws with', () => {
    const bundle = readFileSync(`${REPO}/dist/ui/render-app.js`, 'utf8');
    expect(bundle).toContain('// scripts/ink-frame-caches.mjs');
    // The renderer draws with the cached Output: the class extending Ink's, by its bundled name.
    const name = /var (\w+) = class extends Output \{/.exec(bundle)?.[1];
    expect(name).toBeDefined();
    expect(bundle).toContain(`const output = new ${name}({`);
    // And its text nodes are measured by the cached widest-line: the function that calls Ink's and keeps what it says.
    const widest = /function (\w+)\(text\) \{\n\s+let w = widest\.get\(text\);/.exec(bundle)?.[1];
    expect(widest).toBeDefined();
    expect(bundle).toContain(`const currentWidth = ${widest}(text);`);
  });
});

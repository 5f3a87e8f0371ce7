import { describe, expect, it } from 'vitest';
import { splitAt, wrapText, displayWidth } from '../../src/format/width.js';
import { leadsTo, wrapLines, type Line } from '../../src/ui/details.js';

const text = (l: Line) => l.map((s) => s.text).join('');

describe('wrapping by display width', () => {
  it('breaks text at spaces, mid-word only when a word is wider than the line, wide characters counted as two', () => {
    expect(splitAt('also appear in: mnt:[1] a, mnt:[2] b', 20)).toEqual(['also appear in:', 'mnt:[1] a, mnt:[2] b']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    for (const l of wrapText('日本語のパスは二列ずつ数える mount', 7)) expect(displayWidth(l)).toBeLessThanOrEqual(7);
  });
  it('wraps a details line, keeping its indent, its colours, and where it leads on its first part', () => {
    const line = leadsTo([{ text: '  also appear in: ', colour: 'yellow' }, { text: 'mnt:[4026532179] bash, mnt:[4026532180] sleep, mnt:[4026532181] sleep' }], { ns: 1, mount: 2 });
    const out = wrapLines([line, [{ text: 'short' }]], 40);
    expect(out.map(text)).toEqual(['  also appear in: mnt:[4026532179] bash,', '    mnt:[4026532180] sleep,', '    mnt:[4026532181] sleep', 'short']);
    expect(out[0].go).toEqual({ ns: 1, mount: 2 });
    expect(out[1].go).toBeUndefined();
    expect(out[0][0].colour).toBe('yellow');
    for (const l of out) expect(displayWidth(text(l))).toBeLessThanOrEqual(40);
  });
});

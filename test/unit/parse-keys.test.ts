/** The key parser, as data: terminal bytes in, keys out. */
import { describe, expect, it, vi } from 'vitest';
import { KeyParser, parseKeys, type KeyPress } from '../../src/ui/keys/parse-keys.js';
import { KeyFeed, ESC_WAIT_MS } from '../../src/ui/keys/key-source.js';

/** A compact name for a key: its flags and text. */
const name = (k: KeyPress): string => {
  const flags = Object.entries(k.key)
    .filter(([, v]) => v)
    .map(([f]) => f);
  return [k.paste ? 'paste' : '', ...flags, k.input ? JSON.stringify(k.input) : ''].filter(Boolean).join('+') || '(nothing)';
};
const names = (text: string, final = false): string[] => parseKeys(text, final).keys.map(name);

describe('parseKeys', () => {
  it('splits a chunk of typed keys into one key each, in order', () => {
    expect(names('jjjj')).toEqual(['"j"', '"j"', '"j"', '"j"']);
    expect(names('/host-root\r')).toEqual(['"/"', '"h"', '"o"', '"s"', '"t"', '"-"', '"r"', '"o"', '"o"', '"t"', 'return']);
    expect(names('Gq')).toEqual(['shift+"G"', '"q"']);
  });

  it('keeps escape sequences whole between other keys', () => {
    expect(names('\x1b[Aj\x1b[B\x1b[5~\x1b[6~\x1b[H\x1b[F\x1bOA\x1b[1~\x1b[4~')).toEqual(['upArrow', '"j"', 'downArrow', 'pageUp', 'pageDown', 'home', 'end', 'upArrow', 'home', 'end']);
    expect(names('\x1b[1;5A\x1b[Z\x1b[3~')).toEqual(['upArrow+ctrl', 'tab+shift', 'delete']);
  });

  it('gives sequences nobody binds no name and no text', () => {
    expect(names('\x1b[31m\x1b[5mj\x1b[?1;2c')).toEqual(['(nothing)', '(nothing)', '"j"', '(nothing)']);
  });

  it('reads mouse reports as mouse events, never as keys: SGR (1006) and X10, whose raw bytes could read as q', () => {
    const got = parseKeys('\x1b[<0;10;5M\x1b[<0;10;5mj\x1b[<65;3;4M\x1b[<64;3;4M').keys;
    expect(got.map((k) => k.mouse ?? k.input)).toEqual([
      { button: 0, x: 10, y: 5, release: false },
      { button: 0, x: 10, y: 5, release: true },
      'j',
      { button: 65, x: 3, y: 4, release: false },
      { button: 64, x: 3, y: 4, release: false },
    ]);
    // X10: ESC [ M, then 32 + button, x, y: a left press at column 81 ('q'), row 3, then its release.
    const x10 = parseKeys('\x1b[M q#\x1b[M#q#').keys;
    expect(x10.map((k) => [k.input, k.mouse])).toEqual([
      ['', { button: 0, x: 81, y: 3, release: false }],
      ['', { button: 0, x: 81, y: 3, release: true }],
    ]);
    // Cut by the end of a chunk: kept whole for the next.
    const parser = new KeyParser();
    expect(parser.push('\x1b[M q')).toEqual([]);
    expect(parser.push('#')[0].mouse).toEqual({ button: 0, x: 81, y: 3, release: false });
    expect(parser.push('\x1b[<0;1')).toEqual([]);
    expect(parser.push('2;7M')[0].mouse).toEqual({ button: 0, x: 12, y: 7, release: false });
    expect(names('\x1b[<1;2M\x1b[<1;2;3x')).toEqual(['(nothing)', '(nothing)']);
  });

  it('names control keys', () => {
    expect(names('\t\r\n\x7f\x08\x03\x1a\x02\x06\x00')).toEqual(['tab', 'return', 'return', 'backspace', 'backspace', 'ctrl+"c"', 'ctrl+"z"', 'ctrl+"b"', 'ctrl+"f"', 'ctrl+" "']);
  });

  it('reads ESC + a key as meta, ESC ESC as two Escs', () => {
    expect(names('\x1bx')).toEqual(['meta+"x"']);
    expect(names('\x1b\x1b[A')).toEqual(['upArrow+meta']);
    expect(names('\x1b\x1bj')).toEqual(['escape+meta', 'meta+"j"']);
  });

  it('holds a sequence cut by the end of a chunk, and a lone ESC, until told no more is coming', () => {
    expect(parseKeys('j\x1b[')).toEqual({ keys: [expect.objectContaining({ input: 'j' })], pending: '\x1b[' });
    expect(parseKeys('\x1b')).toEqual({ keys: [], pending: '\x1b' });
    expect(names('\x1b', true)).toEqual(['escape+meta']);
    expect(names('\x1b[', true)).toEqual(['escape+meta', '"["']);
    const p = new KeyParser();
    expect(p.push('\x1b[').map(name)).toEqual([]);
    expect(p.waiting()).toBe(true);
    expect(p.push('Bj').map(name)).toEqual(['downArrow', '"j"']);
    expect(p.waiting()).toBe(false);
  });

  it('takes a bracketed paste as one piece of text, with whatever it holds', () => {
    expect(names('\x1b[200~q\x1b[A\r\x1b[201~j')).toEqual(['paste+"q\\u001b[A\\r"', '"j"']);
    // Cut in the middle: waits for the end marker.
    expect(parseKeys('\x1b[200~host-').pending).toBe('\x1b[200~host-');
  });

  it('keeps characters beyond the BMP whole', () => {
    expect(names('🙂é')).toEqual(['"🙂"', '"é"']);
  });

  it('never throws and never loses a printable character on random input', () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const alphabet = ['\x1b', '[', 'O', '~', ';', '1', '5', 'A', 'm', 'j', 'q', '\r', '\x7f', '\x03', 'é', '🙂', '2', '0', '1'];
    for (let i = 0; i < 5000; i++) {
      let s = '';
      for (let n = rand(12); n > 0; n--) s += alphabet[rand(alphabet.length)];
      const { keys } = parseKeys(s, true);
      // Every `j` outside a sequence comes out as its own key or inside one (a meta-j, a paste).
      expect(keys.length).toBeLessThanOrEqual([...s].length);
      for (const k of keys) expect(typeof k.input).toBe('string');
    }
  });
});

describe('KeyFeed', () => {
  it('sends a lone Esc once no rest of a sequence came in time, and a split sequence as one key', () => {
    vi.useFakeTimers();
    try {
      const feed = new KeyFeed();
      const got: string[] = [];
      feed.subscribe((k) => got.push(name(k)));
      feed.write('\x1b');
      expect(got).toEqual([]);
      vi.advanceTimersByTime(ESC_WAIT_MS + 1);
      expect(got).toEqual(['escape+meta']);
      feed.write('\x1b[');
      feed.write('A');
      vi.advanceTimersByTime(ESC_WAIT_MS + 1);
      expect(got).toEqual(['escape+meta', 'upArrow']);
    } finally {
      vi.useRealTimers();
    }
  });
});

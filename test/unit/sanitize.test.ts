import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { neutralizeOutput, sanitize } from '../../src/format/sanitize.js';
import { displayWidth, fit, truncate, widthUpTo } from '../../src/format/width.js';

describe('sanitize', () => {
  it('shows C0 controls, ESC and DEL as escapes', () => {
    expect(sanitize('title\x1b]0;pwned\x07')).toBe('title\\e]0;pwned\\a');
    expect(sanitize('a\nb\tc\rd\x00e\x7f')).toBe('a\\nb\\tc\\rd\\x00e\\x7f');
  });
  it('shows C1 controls (a lone CSI can start a sequence on some terminals)', () => {
    expect(sanitize('x\u009b2Jy')).toBe('x\\x9b2Jy');
  });
  it('shows bidi overrides and isolates, which reorder what is displayed', () => {
    expect(sanitize('evil\u202egnp.exe')).toBe('evil\\u{202e}gnp.exe');
    expect(sanitize('\u2066a\u2069')).toBe('\\u{2066}a\\u{2069}');
  });
  it('leaves ordinary text, wide characters and combining marks alone', () => {
    for (const s of ['/tmp/with space', '中文-émoji-🙂', 'e\u0301', 'quote\'double"mix']) expect(sanitize(s)).toBe(s);
  });
});

describe('width', () => {
  it('measures wide and combining characters as the terminal draws them', () => {
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🙂')).toBe(2);
  });
  it('truncates on grapheme boundaries and pads to exact columns', () => {
    expect(truncate('中文中文', 5)).toBe('中文…');
    expect(displayWidth(fit('中文中文', 5))).toBe(5);
    expect(fit('ab', 4)).toBe('ab  ');
  });
  it('keeps a string that fits exactly, and cuts combining sequences whole', () => {
    expect(truncate('中文', 4)).toBe('中文');
    expect(truncate('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
    expect(truncate('中', 1)).toBe('…');
  });
  it('counts the tree connectors, arrows and markers it draws one column each, as string-width does', () => {
    for (let c = 0x2190; c <= 0x25ff; c++) {
      const ch = String.fromCharCode(c);
      if (c < 0x2200 || c >= 0x2500) expect(displayWidth(`├─${ch}`), ch).toBe(2 + stringWidth(ch));
    }
    expect(displayWidth('▸ ◽')).toBe(4); // an emoji among the shapes is two
  });
  it('measures a long path only as far as a column shows it', () => {
    const long = 'é'.repeat(5000);
    expect(widthUpTo(long, 30)).toBe(31);
    expect(widthUpTo('中文', 30)).toBe(4);
    expect(truncate(long, 10)).toBe('é'.repeat(9) + '…');
  });
});

describe('neutralizeOutput (the last line of defence on what the TUI writes)', () => {
  it('keeps what Ink writes: SGR colours, erase-line, cursor moves and visibility, newlines', () => {
    const frame = '\x1b[2K\x1b[1A\x1b[2K\x1b[G\x1b[?25l\x1b[36m\x1b[1mmntns\x1b[22m\x1b[39m  3 namespaces\n\x1b[7m> ▸ 100\x1b[27m\n';
    expect(neutralizeOutput(frame)).toBe(frame);
  });
  it('shows every other control as an escape: a window title, the clipboard, DCS, a lone ESC, BEL, C1', () => {
    expect(neutralizeOutput('x\x1b]0;PWNED-TITLE\x07y')).toBe('x\\e]0;PWNED-TITLE\\ay');
    expect(neutralizeOutput('\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07')).toBe('\\e]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\a');
    expect(neutralizeOutput('\x1bPq#0\x1b\\')).toBe('\\ePq#0\\e\\');
    expect(neutralizeOutput('a\x1bcb')).toBe('a\\ecb'); // ESC c resets the terminal
    expect(neutralizeOutput('\u009b2J\r\t')).toBe('\\x9b2J\\r\\t');
  });
});

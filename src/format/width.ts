/**
 * Column arithmetic on sanitised text: wide (CJK, emoji) and combining
 * characters measured as the terminal draws them.
 */
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns `s` takes on a terminal; plain ASCII (most paths) skips the Unicode tables. */
export const displayWidth = (s: string): number => (PRINTABLE_ASCII.test(s) ? s.length : stringWidth(s));

/** Cuts `s` to at most `width` columns, marking the cut with "…". */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  if (PRINTABLE_ASCII.test(s)) return s.slice(0, width - 1) + '…';
  let out = '';
  let w = 0;
  for (const ch of new Intl.Segmenter().segment(s)) {
    const cw = displayWidth(ch.segment);
    if (w + cw > width - 1) break;
    out += ch.segment;
    w += cw;
  }
  return out + '…';
}

/** Pads (or truncates) `s` to exactly `width` columns. */
export function fit(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - displayWidth(t)));
}

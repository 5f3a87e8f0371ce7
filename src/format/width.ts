/**
 * Column arithmetic on sanitised text: wide (CJK, emoji) and combining
 * characters measured as the terminal draws them.
 */
import stringWidth from 'string-width';

/**
 * One column per UTF-16 unit: printable ASCII, plus the tree connectors, arrows,
 * markers and "…" mntns draws itself (box drawing, geometric shapes, arrows; all
 * narrow, as string-width counts them). Most rows are only these, and skip the
 * Unicode tables.
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u2026\u2190-\u21ff\u2500-\u25fc\u25ff]*$/; // not U+25FD, U+25FE: emoji, two columns

/** Columns `s` takes on a terminal. */
export const displayWidth = (s: string): number => (ONE_COLUMN_EACH.test(s) ? s.length : stringWidth(s));

const segmenter = new Intl.Segmenter();

/**
 * Columns `s` takes, counted only up to `cap` (a result above `cap` means "wider"):
 * measuring a long non-ASCII path whole is slow enough to feel in a frame, and a
 * column never shows more than its width.
 */
export function widthUpTo(s: string, cap: number): number {
  if (ONE_COLUMN_EACH.test(s)) return s.length;
  let w = 0;
  for (const ch of segmenter.segment(s)) {
    w += stringWidth(ch.segment);
    if (w > cap) break;
  }
  return w;
}

/** Cuts `s` to at most `width` columns, marking the cut with "…"; walks only as far as it shows. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (ONE_COLUMN_EACH.test(s)) return s.length <= width ? s : s.slice(0, width - 1) + '…';
  let w = 0;
  let keep = 0; // length of the longest prefix that fits beside the "…"
  for (const ch of segmenter.segment(s)) {
    w += stringWidth(ch.segment);
    if (w > width) return s.slice(0, keep) + '…';
    if (w <= width - 1) keep = ch.index + ch.segment.length;
  }
  return s;
}

/** Pads (or truncates) `s` to exactly `width` columns. */
export function fit(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - displayWidth(t)));
}

/** The end of `s` in at most `width` columns, "…" in front when cut. */
export function keepEnd(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  const parts = [...segmenter.segment(s)].map((x) => x.segment);
  let w = 1; // the "…"
  let i = parts.length;
  while (i > 0 && w + displayWidth(parts[i - 1]) <= width) w += displayWidth(parts[--i]);
  return '…' + parts.slice(i).join('');
}

/**
 * A path in at most `width` columns, cut in the middle so its first component
 * and as many of its last as fit stay: `/tmp/…/host-root/mnt/live1` (the end
 * tells mounts apart, as k9s keeps it). Too narrow even for that: its end.
 */
export function elidePath(path: string, width: number): string {
  if (displayWidth(path) <= width) return path;
  const parts = path.split('/');
  const head = parts[0] === '' ? `/${parts[1] ?? ''}` : parts[0];
  const rest = parts.slice(parts[0] === '' ? 2 : 1);
  let tail = '';
  for (let i = rest.length - 1; i >= 1; i--) {
    const next = rest[i] + (tail ? '/' + tail : '');
    if (displayWidth(`${head}/…/${next}`) > width) break;
    tail = next;
  }
  if (tail) return `${head}/…/${tail}`;
  return keepEnd(path, width);
}

/**
 * A name in at most `width` columns, its middle replaced by "…": its start and
 * its end stay (`lab:co…leaks`, `lab:co…fixed`: names of one kind differ at the end).
 */
export function elideMiddle(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 1) return width === 1 ? '…' : '';
  const head = truncate(s, Math.ceil((width - 1) / 2) + 1).replace(/…$/, '');
  return head + keepEnd(s, width - displayWidth(head));
}

/**
 * The first piece of `s` that fits in `width` columns, cut at a space where
 * one is (else mid-word), and the rest; `width` ≥ 1.
 */
export function splitAt(s: string, width: number): [string, string] {
  if (displayWidth(s) <= width) return [s, ''];
  const parts = [...segmenter.segment(s)].map((x) => x.segment);
  let w = 0;
  let cut = 0;
  let space = -1;
  for (let i = 0; i < parts.length; i++) {
    const cw = displayWidth(parts[i]);
    if (w + cw > width) break;
    w += cw;
    cut = i + 1;
    if (parts[i] === ' ') space = i;
  }
  if (cut === 0) cut = 1; // one wide character in a one-column space: it goes anyway
  if (parts[cut] === ' ') space = cut; // the piece ends just before a space: all of it fits
  const at = space > 0 ? space : cut;
  return [parts.slice(0, at).join(''), parts.slice(space > 0 ? at + 1 : at).join('')];
}

/** `text` in lines of at most `width` columns, broken at spaces (display width, not string length). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest !== '') {
    const [line, more] = splitAt(rest, Math.max(1, width));
    out.push(line);
    rest = more;
  }
  return out.length ? out : [''];
}

/**
 * The columns `from` to `from + width` of a line made of `parts` (drawn one
 * after another): what each part shows of that window, '' where it shows
 * nothing. A wide character cut by the window's edge becomes spaces, so the
 * columns after it stay where they were.
 */
export function sliceColumns(parts: readonly string[], from: number, width: number): string[] {
  const end = from + width;
  let col = 0;
  return parts.map((p) => {
    const start = col;
    if (ONE_COLUMN_EACH.test(p)) {
      col += p.length;
      return p.slice(Math.max(0, from - start), Math.max(0, end - start));
    }
    let out = '';
    for (const { segment } of segmenter.segment(p)) {
      const w = stringWidth(segment);
      const at = col;
      col += w;
      if (col <= from || at >= end) continue;
      out += at >= from && col <= end ? segment : ' '.repeat(Math.min(col, end) - Math.max(at, from));
    }
    return out;
  });
}

/**
 * The one sanitiser every string from the system passes before it reaches a
 * terminal (`--tree` or the TUI). Paths, comm, cmdline and cgroup names are
 * chosen by whoever made them; the kernel escapes only space, tab, newline and
 * backslash in mountinfo, so ESC and friends arrive raw and would otherwise
 * retitle windows, clear screens or reorder text.
 */

const NAMED: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x1b: '\\e' };

// C0, DEL, C1, bidi embeddings/overrides/isolates, ALM, line/paragraph separators, BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]/u;
const UNSAFE_G = new RegExp(UNSAFE.source, 'gu');

function hex(cp: number): string {
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
}

/** Returns `s` with every control, C1 and bidi-control character shown as a visible escape. */
export function sanitize(s: string): string {
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE_G, (ch) => {
    const cp = ch.codePointAt(0)!;
    return NAMED[cp] ?? hex(cp);
  });
}

/** True when `s` needs no escaping. */
export function isSafe(s: string): boolean {
  return !UNSAFE.test(s);
}

// What a frame from Ink may hold besides text and newlines: CSI sequences (SGR
// colours, erase-line, cursor moves and visibility). Anything else that controls
// a terminal — OSC (titles, the clipboard: ESC ] 52), DCS, APC, a lone ESC, BEL,
// C1 — never comes from Ink itself.
const STRAY = /\x1b(?!\[[0-?]*[ -/]*[@-~])|[\x00-\x09\x0b-\x1a\x1c-\x1f\x7f\u0080-\u009f]/;
const STRAY_G = new RegExp(STRAY.source, 'g');

/**
 * The last line of defence, on everything the TUI writes to the terminal: every
 * control that is not one of Ink's own CSI sequences is shown as a visible
 * escape. Whatever a component forgot to sanitise, no mount name can retitle
 * the window or fill the clipboard.
 */
export function neutralizeOutput(frame: string): string {
  if (!STRAY.test(frame)) return frame;
  return frame.replace(STRAY_G, (ch) => NAMED[ch.codePointAt(0)!] ?? hex(ch.codePointAt(0)!));
}

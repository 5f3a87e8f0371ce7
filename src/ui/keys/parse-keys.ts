/**
 * Terminal input → keys. Pure: a chunk read from the terminal may hold many
 * keys (ssh, paste, key repeat), so every key in it comes out, in order, escape
 * sequences whole. Sequences nobody binds (`ESC [ 3 1 m`, mouse reports, …)
 * come out as keys with no name and no text, which bind to nothing.
 */

/** What a key is, in the words the keymap uses (xterm's encoding, as Ink names it). */
export interface Key {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  tab: boolean;
  return: boolean;
  escape: boolean;
  backspace: boolean;
  delete: boolean;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
}

export interface KeyPress {
  /** The text the key types: a character; for ctrl+letter the letter; '' for named and unknown keys. */
  input: string;
  key: Key;
  /** Text pasted between bracketed-paste markers: one press, never read as commands. */
  paste?: boolean;
  /** A mouse report (the TUI turns reporting on): never a key. */
  mouse?: MouseEvent;
}

/**
 * A button pressed or let go, or the wheel turned, at a cell (1-based, as the
 * terminal counts). `button`: 0 left, 1 middle, 2 right, 64 wheel up, 65 wheel
 * down, plus 4 shift, 8 meta, 16 ctrl, 32 motion (xterm's encoding).
 */
export interface MouseEvent {
  button: number;
  x: number;
  y: number;
  release: boolean;
}

/** The wheel's two buttons, whatever the modifiers. */
export const wheel = (m: MouseEvent): -1 | 1 | 0 => ((m.button & ~28) === 64 ? -1 : (m.button & ~28) === 65 ? 1 : 0);

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
  tab: false,
  return: false,
  escape: false,
  backspace: false,
  delete: false,
  ctrl: false,
  meta: false,
  shift: false,
};

type Named = 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'tab' | 'return' | 'escape' | 'backspace' | 'delete';

const press = (input: string, flags: Partial<Key> = {}): KeyPress => ({ input, key: { ...NO_KEY, ...flags } });

/** Final bytes of CSI / SS3 sequences that name a key. */
const FINAL: Record<string, Named> = { A: 'upArrow', B: 'downArrow', C: 'rightArrow', D: 'leftArrow', H: 'home', F: 'end' };
/** `ESC [ N ~` keys. */
const TILDE: Record<string, Named> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '5': 'pageUp', '6': 'pageDown', '3': 'delete' };

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

/** xterm's modifier parameter (`1;5A` is ctrl+up): 1 + shift(1) + alt(2) + ctrl(4). */
function modifiers(param: string | undefined): Partial<Key> {
  const m = Number(param ?? '1') - 1;
  if (!(m > 0)) return {};
  return { shift: (m & 1) !== 0, meta: (m & 2) !== 0, ctrl: (m & 4) !== 0 };
}

function csiKey(params: string, final: string, meta: boolean): KeyPress {
  // SGR mouse (mode 1006): ESC [ < button ; x ; y M (press) or m (release).
  if (params.startsWith('<')) {
    const [button, x, y] = params.slice(1).split(';').map(Number);
    if ((final === 'M' || final === 'm') && [button, x, y].every((n) => Number.isInteger(n) && n >= 0)) return { ...press(''), mouse: { button, x, y, release: final === 'm' } };
    return press('');
  }
  const parts = params.split(';');
  if (final === '~') {
    const name = TILDE[parts[0]];
    return name ? press('', { [name]: true, ...modifiers(parts[1]), ...(meta ? { meta } : {}) }) : press('');
  }
  if (final === 'Z' && params === '') return press('', { tab: true, shift: true });
  const name = FINAL[final];
  // Only plain or modified forms (`A`, `1;5A`); anything else is a sequence we don't know.
  if (name && (params === '' || (parts.length === 2 && parts[0] === '1'))) return press('', { [name]: true, ...modifiers(parts[1]), ...(meta ? { meta } : {}) });
  return press('');
}

/** One key for a single character outside any sequence. */
function charKey(ch: string, meta: boolean): KeyPress {
  const c = ch.codePointAt(0)!;
  const m = meta ? { meta: true } : {};
  if (ch === '\r' || ch === '\n') return press('', { return: true, ...m });
  if (ch === '\t') return press('', { tab: true, ...m });
  if (c === 0x7f || c === 0x08) return press('', { backspace: true, ...m });
  if (c === 0) return press(' ', { ctrl: true, ...m });
  if (c < 0x1b) return press(String.fromCharCode(c + 0x60), { ctrl: true, ...m });
  if (c < 0x20) return press(String.fromCharCode(c + 0x40), { ctrl: true, ...m }); // ^\ ^] ^^ ^_
  if (c >= 0x80 && c < 0xa0) return press(''); // C1 controls type nothing
  return press(ch, { shift: ch !== ch.toLowerCase(), ...m });
}

export interface ParsedKeys {
  keys: KeyPress[];
  /** An unfinished sequence at the end of the chunk: kept for the next chunk (or flushed as keys). */
  pending: string;
}

/**
 * Splits terminal input into keys. An escape sequence cut by the end of the
 * chunk is returned as `pending`; `final` says no more input is coming soon,
 * so a lone ESC is the Esc key.
 */
export function parseKeys(text: string, final = false): ParsedKeys {
  const keys: KeyPress[] = [];
  let i = 0;
  const pendingFrom = (at: number): ParsedKeys => {
    if (!final) return { keys, pending: text.slice(at) };
    // Nothing more is coming: what was cut short is keys as typed (Esc first).
    keys.push(press('', { escape: true, meta: true }));
    const rest = parseKeys(text.slice(at + 1), true);
    keys.push(...rest.keys);
    return { keys, pending: '' };
  };
  while (i < text.length) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (ch !== '\x1b') {
      keys.push(charKey(ch, false));
      i += ch.length;
      continue;
    }
    if (text.startsWith(PASTE_START, i)) {
      const end = text.indexOf(PASTE_END, i + PASTE_START.length);
      if (end < 0) {
        if (!final) return { keys, pending: text.slice(i) };
        keys.push({ ...press(text.slice(i + PASTE_START.length)), paste: true });
        return { keys, pending: '' };
      }
      keys.push({ ...press(text.slice(i + PASTE_START.length, end)), paste: true });
      i = end + PASTE_END.length;
      continue;
    }
    // ESC ESC [ … is meta + the sequence; ESC x is meta + x; a lone ESC waits.
    let j = i + 1;
    let meta = false;
    if (text[j] === '\x1b' && (text[j + 1] === '[' || text[j + 1] === 'O')) {
      meta = true;
      j++;
    }
    if (j >= text.length) return pendingFrom(i);
    const intro = text[j];
    if (intro === '[') {
      // CSI: parameter bytes 0x30–0x3f, intermediates 0x20–0x2f, one final 0x40–0x7e.
      let k = j + 1;
      if (text[k] === '[') k++; // the Linux console's ESC [ [ A (F1…)
      while (k < text.length && /[\x20-\x3f]/.test(text[k])) k++;
      if (k >= text.length) return pendingFrom(i);
      const finalByte = text[k];
      if (!/[\x40-\x7e]/.test(finalByte)) {
        // Not a sequence after all: the ESC stands alone, the rest is typed.
        keys.push(press('', { escape: true, meta: true }));
        i = j;
        continue;
      }
      // X10 mouse (a terminal without mode 1006): ESC [ M and three raw bytes,
      // each 32 + a number — taken whole, so a click at column 81 ('q') quits nothing.
      if (finalByte === 'M' && k === j + 1) {
        if (text.length - (k + 1) < 3) return pendingFrom(i);
        const [b, x, y] = [...text.slice(k + 1, k + 4)].map((c) => c.charCodeAt(0) - 32);
        keys.push({ ...press(''), mouse: { button: (b & 3) === 3 ? 0 : b, x, y, release: (b & 3) === 3 && b < 64 } });
        i = k + 4;
        continue;
      }
      keys.push(csiKey(text.slice(j + 1, k), finalByte, meta));
      i = k + 1;
      continue;
    }
    if (intro === 'O') {
      if (j + 1 >= text.length) return pendingFrom(i);
      const name = FINAL[text[j + 1]];
      keys.push(name ? press('', { [name]: true, ...(meta ? { meta } : {}) }) : press(''));
      i = j + 2;
      continue;
    }
    if (intro === '\x1b') {
      // ESC ESC: Esc pressed twice (or meta+Esc); each is the Esc key.
      keys.push(press('', { escape: true, meta: true }));
      i = j;
      continue;
    }
    const next = String.fromCodePoint(text.codePointAt(j)!);
    keys.push(charKey(next, true));
    i = j + next.length;
  }
  return { keys, pending: '' };
}

/** Feeds chunks in as they are read; keeps a sequence cut between chunks until its rest arrives. */
export class KeyParser {
  private pending = '';

  push(chunk: string): KeyPress[] {
    const r = parseKeys(this.pending + chunk);
    this.pending = r.pending;
    return r.keys;
  }

  /** Whether a cut sequence (or a lone Esc) waits for more. */
  waiting(): boolean {
    return this.pending !== '';
  }

  /** No more input came in time: what waits is keys as typed. */
  flush(): KeyPress[] {
    const r = parseKeys(this.pending, true);
    this.pending = '';
    return r.keys;
  }
}

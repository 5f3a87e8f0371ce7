/**
 * The TUI's terminal: the alternate screen, raw mode, the keys, and the
 * terminal's changes of hands — to a shell from `e` and back, to the shell on
 * Ctrl-Z and back on `fg`, and its end when it hangs up.
 *
 * mntns reads the terminal through a stream of its own on a duplicate of fd 0
 * and destroys that stream whenever someone else owns the terminal: a paused
 * stream with a 'readable' listener (Ink's) goes on reading, and a read from a
 * background process group gets EIO (or stops us with SIGTTIN) — `e` then
 * `exit` killed mntns with `read EIO` that way.
 */
import tty from 'node:tty';
import { KeyFeed, type KeySource, type KeyListener } from './keys/key-source.js';
import { neutralizeOutput } from '../format/sanitize.js';
import { closeFd, detachStdio, dupFd, jobControlled, takeForeground, ttyState, type TtyState } from '../sys/tty.js';

// Alternate screen, clear, cursor hidden, bracketed paste on (a paste is then
// one piece of text, never a burst of commands); and the way back.
const ENTER_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l\x1b[?2004h';
const LEAVE_SCREEN = '\x1b[?2004l\x1b[?25h\x1b[?1049l';
// Mouse reports, presses and the wheel (1000) in SGR form (1006: any column, no
// raw bytes): on while mntns has the screen, off before anyone else gets it.
// Shift+drag still selects text in xterm, VTE, kitty, iTerm2 and tmux.
const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

/** Why the terminal went away, for the exit path. */
export type GoneReason = 'hangup';

export class Terminal implements KeySource {
  /** What Ink writes to: passes through while mntns owns the screen, held otherwise. */
  readonly stdout: NodeJS.WriteStream;
  private readonly keys = new KeyFeed();
  private input: tty.ReadStream | null = null;
  private held = false;
  /** Ink's newest frame (each of its writes is a whole frame), drawn again when the screen comes back. */
  private lastFrame = '';
  private onScreen = false;
  private suspended = false;
  private handedOver = false;
  private goneCalled = false;
  private goneListener: (r: GoneReason) => void = () => {};

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    /** Ask for mouse reports (off with --no-mouse). */
    private readonly mouse = false,
  ) {
    const write = (chunk: string | Uint8Array, enc?: unknown, cb?: unknown): boolean => {
      const done = typeof enc === 'function' ? enc : cb;
      const text = neutralizeOutput(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      if (text.includes('\n')) this.lastFrame = text;
      if (!this.held && !this.goneCalled) return out.write(text, done as () => void);
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    };
    this.stdout = new Proxy(out, {
      get(target, prop) {
        if (prop === 'write') return write;
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    // A closed terminal fails every write with EIO: that is its end, not a crash.
    out.on('error', () => this.gone());
  }

  /**
   * Puts `bytes` on the terminal's clipboard (OSC 52), where the terminal
   * allows it. The payload is base64: nothing in a path or a command line can
   * become a control sequence on the way. False when the screen is not ours.
   */
  copy(bytes: Uint8Array): boolean {
    if (this.held || this.goneCalled) return false;
    this.out.write(`\x1b]52;c;${Buffer.from(bytes).toString('base64')}\x07`);
    return true;
  }

  subscribe(listener: KeyListener): () => void {
    return this.keys.subscribe(listener);
  }

  /** Called once when the terminal hangs up (a closed window, a dropped ssh). */
  onGone(listener: (r: GoneReason) => void): void {
    this.goneListener = listener;
  }

  isGone(): boolean {
    return this.goneCalled;
  }

  /** Takes the screen and the keys. */
  start(): void {
    this.show();
  }

  /** Gives the screen back as it was (idempotent; every way out calls it). */
  stop(): void {
    this.hide();
    this.held = true;
  }

  /** Hands the terminal to a child: screen and keys off until takeBack(). */
  handOver(banner: string): void {
    this.handedOver = true;
    this.hide();
    this.write(banner);
  }

  /**
   * Takes the terminal back from a child that ended: ours again if the child
   * left it elsewhere; false when it is gone.
   */
  takeBack(): boolean {
    this.handedOver = false;
    if (!this.live()) return false;
    this.show();
    return true;
  }

  /**
   * Ctrl-Z (or SIGTSTP): leave the screen and raw mode and stop, like htop;
   * `fg` resumes. Null when suspended, else why not.
   */
  suspend(): string | null {
    if (this.suspended || this.handedOver || this.goneCalled || !this.onScreen) return null;
    let ok: boolean;
    try {
      ok = jobControlled();
    } catch {
      ok = false;
    }
    if (!ok) return 'no job-control shell to suspend to (mntns was not started as a job): q quits';
    this.suspended = true;
    this.hide();
    process.kill(process.pid, 'SIGSTOP');
    return null;
  }

  /** SIGCONT: back on screen if we are in the foreground (after `bg`, the next `fg` brings us back). */
  resume(): void {
    if (!this.suspended || this.goneCalled) return;
    const state = ttyState();
    if (state === 'gone') return this.gone();
    if (state !== 'ours') return;
    this.suspended = false;
    this.show();
  }

  /** Whether a child or a suspension has the terminal now. */
  elsewhere(): boolean {
    return this.handedOver || this.suspended;
  }

  private live(): boolean {
    let state: TtyState;
    try {
      state = ttyState();
      if (state === 'elsewhere') state = takeForeground();
    } catch {
      return !this.goneCalled; // no libc: nothing to check with
    }
    if (state === 'gone') this.gone();
    return state !== 'gone';
  }

  private show(): void {
    if (this.goneCalled) return;
    this.attachInput();
    this.onScreen = true;
    this.write(ENTER_SCREEN + (this.mouse ? MOUSE_ON : '') + this.lastFrame);
    this.held = false;
  }

  private hide(): void {
    this.held = true;
    this.releaseInput();
    if (this.onScreen) this.write((this.mouse ? MOUSE_OFF : '') + LEAVE_SCREEN);
    this.onScreen = false;
  }

  private write(text: string): void {
    if (this.goneCalled) return;
    try {
      this.out.write(text);
    } catch {
      this.gone();
    }
  }

  private attachInput(): void {
    if (this.input) return;
    let fd: number;
    let stream: tty.ReadStream;
    try {
      fd = dupFd(0);
      stream = new tty.ReadStream(fd);
    } catch {
      return this.gone();
    }
    // libuv reopens a pty by its name and reads from that descriptor; our
    // duplicate is then spare. When it could not reopen, the stream owns `fd`.
    const handleFd = (stream as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (handleFd !== undefined && handleFd !== fd) closeFd(fd);
    try {
      stream.setRawMode(true);
    } catch {
      stream.destroy();
      return this.gone();
    }
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.keys.write(chunk));
    // A hung-up terminal reads as end of file (raw mode has no Ctrl-D EOF) or EIO.
    stream.on('end', () => this.gone());
    stream.on('error', () => this.gone());
    this.input = stream;
  }

  private releaseInput(): void {
    const stream = this.input;
    if (!stream) return;
    this.input = null;
    this.keys.reset();
    stream.removeAllListeners('data');
    stream.removeAllListeners('end');
    stream.removeAllListeners('error');
    stream.on('error', () => {});
    try {
      stream.setRawMode(false);
    } catch {
      // a hung-up terminal: nothing to restore
    }
    stream.destroy();
  }

  private gone(): void {
    if (this.goneCalled) return;
    this.goneCalled = true;
    this.held = true;
    this.onScreen = false;
    if (this.input) {
      const s = this.input;
      this.input = null;
      s.removeAllListeners();
      s.on('error', () => {});
      s.destroy();
    }
    detachStdio();
    this.goneListener('hangup');
  }
}

/**
 * A real terminal for end-to-end tests: the built mntns runs on a pty (node-pty)
 * and its output is interpreted by a headless xterm, so tests read the screen a
 * user would see — alternate screen, cursor moves, titles and all.
 */
import { spawn as ptySpawn, type IPty } from 'node-pty';
import xterm from '@xterm/headless';
import unicode11 from '@xterm/addon-unicode11';
import { CLI } from './lab.js';

const { Terminal } = xterm;

/** A home that does not exist, for the shells tests start: no dotfile to read, nothing to clean up. */
export const EMPTY_HOME = '/nonexistent/mntns-test-home';

export interface TermOptions {
  cols?: number;
  rows?: number;
  env?: Record<string, string | undefined>;
  /** A command that runs node for us, e.g. setpriv to drop root. */
  prefix?: string[];
  /** Runs this instead of mntns (a shell to start mntns from, say). */
  argv?: string[];
  /** Its working directory (where `w` writes the journal); this process's by default. */
  cwd?: string;
}

export class Term {
  readonly term: InstanceType<typeof Terminal>;
  readonly pty: IPty;
  /** Every byte the program wrote, for checks on raw escape sequences. */
  raw = '';
  titles: string[] = [];
  exitCode: number | null = null;
  /** The signal that killed the program, when one did (it had no handler for it). */
  exitSignal: number | null = null;
  private exited: Promise<number>;

  constructor(args: string[], opts: TermOptions = {}) {
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 30;
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
    // Widths as today's terminals (xterm, VTE, kitty) draw them: emoji take two
    // columns. xterm.js alone uses Unicode 6 tables, where they take one.
    this.term.loadAddon(new unicode11.Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.onTitleChange((t) => this.titles.push(t));
    const env: Record<string, string> = {};
    // HOME does not exist: a shell from `e` reads no dotfiles of this
    // machine's root. (Root's ~/.bashrc here starts background jobs that end up
    // stopped in mntns's process group; when a test then SIGKILLs the shell, the
    // kernel hangs up that orphaned group — mntns included: seen with strace.)
    for (const [k, v] of Object.entries({ ...process.env, TERM: 'xterm-256color', HOME: EMPTY_HOME, ...opts.env })) if (v !== undefined) env[k] = v;
    // Ink draws nothing interactive when CI is set (is-in-ci): the user's terminal has no CI.
    delete env.CI;
    if (opts.env && 'CI' in opts.env && opts.env.CI !== undefined) env.CI = opts.env.CI;
    const argv = opts.argv ?? [...(opts.prefix ?? []), process.execPath, CLI, ...args];
    this.pty = ptySpawn(argv[0], argv.slice(1), { name: env.TERM, cols, rows, env, cwd: opts.cwd ?? process.cwd() });
    this.pty.onData((d) => {
      this.raw += d;
      this.term.write(d);
    });
    this.exited = new Promise((res) =>
      this.pty.onExit(({ exitCode, signal }) => {
        this.exitCode = exitCode;
        this.exitSignal = signal || null;
        res(exitCode);
      }),
    );
  }

  /** The screen as text, one string per row (trailing spaces trimmed). */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.term.rows; i++) out.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return out;
  }

  screen(): string {
    return this.lines().join('\n');
  }

  /** Waits until `pred` holds for the screen (xterm parses asynchronously: flush first). */
  async waitFor(pred: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test = typeof pred === 'function' ? pred : (s: string) => (typeof pred === 'string' ? s.includes(pred) : pred.test(s));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise<void>((r) => this.term.write('', r));
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pred)}; screen:\n${s}`);
      if (this.exitCode !== null) throw new Error(`mntns exited (${this.exitCode}${this.exitSignal ? `, killed by signal ${this.exitSignal}` : ''}) while waiting for ${String(pred)}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends keys; waits a little so Ink handles each (a lone Esc is held until the next tick). */
  async press(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.pty.write(KEYS[k] ?? k);
      await new Promise((r) => setTimeout(r, 60));
    }
  }

  /**
   * Selects the namespace row of `inode` by searching for it (a busy host lists
   * hundreds: it need not be on screen), again until it is there — a namespace
   * that appears later arrives with the next rescan. Returns the cursor row.
   */
  async selectNamespace(inode: number, timeoutMs = 15_000): Promise<string> {
    await this.ready(timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.pty.write(`/${inode}\r`);
      try {
        await this.waitFor(() => (this.cursorRow() ?? '').includes(String(inode)), 500);
        return this.cursorRow()!;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
  }

  /**
   * Waits for the first whole snapshot: until then the namespaces may be a
   * preview (processes read, tables still "reading…", no flags yet); the
   * status bar says "refreshed" only once it is whole.
   */
  async ready(timeoutMs = 15_000): Promise<string> {
    return this.waitFor(/refreshed \d\d:/, timeoutMs);
  }

  /** Waits for the whole first snapshot and the cursor on namespace `inode` (selected with --pid or --ns). */
  async selected(inode: number, timeoutMs = 15_000): Promise<string> {
    await this.ready(timeoutMs);
    return this.waitFor(() => (this.cursorRow() ?? '').includes(String(inode)), timeoutMs);
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /**
   * One screen row as cells (wide characters take two columns, the second empty):
   * the column each character starts at and how it is drawn.
   */
  cells(row: number): Array<{ x: number; ch: string; fg: number; bg: number; attrs: string }> {
    const b = this.term.buffer.active;
    const line = b.getLine(b.viewportY + row);
    const out: Array<{ x: number; ch: string; fg: number; bg: number; attrs: string }> = [];
    if (!line) return out;
    for (let x = 0; x < this.term.cols; x++) {
      const c = line.getCell(x);
      if (!c || c.getWidth() === 0) continue;
      const attrs = `${c.isBold() ? 'b' : ''}${c.isInverse() ? 'i' : ''}${c.isUnderline() ? 'u' : ''}${c.isDim() ? 'd' : ''}`;
      out.push({ x, ch: c.getChars() || ' ', fg: c.isFgDefault() ? -1 : c.getFgColor(), bg: c.isBgDefault() ? -1 : c.getBgColor(), attrs });
    }
    return out;
  }

  /** The row with the cursor marker `>` in the given column range. */
  cursorRow(from = 0, to = Infinity): string | undefined {
    return this.lines().find((l) => l.slice(from, to).startsWith('>'));
  }

  /** The exit code; fails with the screen when mntns is still running after `timeoutMs`. */
  wait(timeoutMs = 15_000): Promise<number> {
    let t: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, rej) => {
      t = setTimeout(() => rej(new Error(`mntns did not exit within ${timeoutMs} ms; screen:\n${this.screen()}`)), timeoutMs);
    });
    return Promise.race([this.exited, late]).finally(() => clearTimeout(t));
  }

  kill(): void {
    if (this.exitCode === null) this.pty.kill('SIGKILL');
  }
}

export const KEYS: Record<string, string> = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pgup: '\x1b[5~',
  pgdn: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  tab: '\t',
  enter: '\r',
  esc: '\x1b',
  space: ' ',
  backspace: '\x7f',
  ctrlc: '\x03',
};

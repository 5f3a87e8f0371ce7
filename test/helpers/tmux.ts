/**
 * mntns under tmux, the way people run it: a server of our own (-S, its socket
 * in the test's own directory, so nothing of it is left in /tmp/tmux-UID), one
 * session, send-keys to type, capture-pane to read. The pane's command is a
 * tiny wrapper that records mntns's exit status in a file and then keeps the
 * pane open, so what mntns left on the screen can still be read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './lab.js';
import { EMPTY_HOME } from './terminal.js';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Quotes one argument for the POSIX shell tmux runs the pane command with. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class Tmux {
  private readonly dir = mkdtempSync(join(tmpdir(), 'mntns-tmux-'));
  private readonly socket = join(this.dir, 'tmux.sock');
  readonly status = join(this.dir, 'status');

  /** Starts `mntns ARGS` in a new session (CI removed from its environment: Ink draws nothing under CI). */
  constructor(args: string[], opts: { env?: Record<string, string>; cols?: number; rows?: number; wrap?: string[] } = {}) {
    const env = Object.entries(opts.env ?? {})
      .map(([k, v]) => `${k}=${q(v)}`)
      .join(' ');
    const cmd = `env -u CI TERM=xterm-256color HOME=${q(EMPTY_HOME)} ${env} ${(opts.wrap ?? []).map(q).join(' ')} ${q(process.execPath)} ${q(CLI)} ${args.map(q).join(' ')}; echo $? > ${q(this.status)}; exec sleep 120`;
    this.tmux('new-session', '-d', '-s', 'm', '-x', String(opts.cols ?? 140), '-y', String(opts.rows ?? 36), cmd);
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  screen(): string {
    try {
      return this.tmux('capture-pane', '-p', '-t', 'm');
    } catch {
      return '';
    }
  }

  /** Types keys (tmux key names such as Enter, Escape, C-z, or literal text with literal=true). */
  keys(keys: string[], literal = false): void {
    this.tmux('send-keys', '-t', 'm', ...(literal ? ['-l'] : []), ...keys);
  }

  async waitFor(pred: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof pred === 'string' ? s.includes(pred) : pred.test(s)) return s;
      const code = this.exitStatus();
      if (code !== null) throw new Error(`mntns exited (${code}) while waiting for ${String(pred)}; screen:\n${s}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pred)}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  exitStatus(): number | null {
    try {
      const t = readFileSync(this.status, 'utf8').trim();
      return t ? Number(t) : null;
    } catch {
      return null;
    }
  }

  async wait(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = this.exitStatus();
      if (code !== null) return code;
      if (Date.now() > deadline) throw new Error(`mntns did not exit within ${timeoutMs} ms; screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  /** Ends the server (and whatever still runs in it) and removes the files. */
  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

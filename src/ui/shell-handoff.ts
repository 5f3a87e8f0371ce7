/**
 * The terminal handed to a shell (`e`) and taken back. The shell runs
 * asynchronously, so SIGTERM and SIGHUP still reach mntns meanwhile; a shell that
 * dies without giving the terminal back (killed, crashed, hung up) is taken back
 * from, or the hang-up ends mntns.
 */
import { constants } from 'node:os';
import { launchShell, type ShellLaunch, type ShellProcess } from '../sys/enter-shell.js';
import type { Terminal } from './terminal.js';

export class ShellHandoff {
  /** The shell started with `e`, while it runs. */
  private shell: ShellProcess | null = null;
  /** When the last one ended (performance.now()). */
  private ended = -Infinity;
  /** mntns is on its way out: the terminal is not taken back from the shell. */
  private leaving = false;

  constructor(private readonly terminal: Terminal) {}

  /** Gives the terminal to the shell until it exits: its status, or why it could not start. */
  run(launch: ShellLaunch, banner: string): Promise<number | string> {
    return new Promise((resolve) => {
      this.terminal.handOver(banner + '\n');
      const child = launchShell(launch);
      this.shell = child;
      let settled = false;
      const done = (status: number | string): void => {
        if (settled) return;
        settled = true;
        this.shell = null;
        this.ended = performance.now();
        if (!this.leaving) this.terminal.takeBack();
        resolve(status);
      };
      child.once('error', (e) => done(e.message));
      child.once('exit', (code, sig) => done(code ?? 128 + (sig ? constants.signals[sig] : 0)));
    });
  }

  /**
   * A Ctrl-C typed in a shell without job control (sh) reaches our process group
   * too and is the shell's — also one typed just before it exited, which may
   * arrive a moment later.
   */
  ownsInterrupts(): boolean {
    return this.shell !== null || performance.now() - this.ended < 250;
  }

  /**
   * On the way out: a running shell is hung up (an interactive shell ignores
   * SIGTERM) and killed if it lingers; `then` once it is gone (at once without one).
   */
  hangUp(then: () => void): void {
    this.leaving = true;
    const child = this.shell;
    if (!child) return then();
    let once = false;
    const gone = (): void => {
      if (!once) then();
      once = true;
    };
    child.once('exit', gone);
    child.once('error', gone);
    child.kill('SIGHUP');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  }
}

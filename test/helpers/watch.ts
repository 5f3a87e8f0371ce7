/** Runs `mntns watch --json` (or plain `watch`) and collects its events (or lines) for assertions. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { WatchEvent } from '../../src/watch/events.js';
import type { Mount, MountBy } from '../../src/model/types.js';

/** An event as a script reads it from `watch --json`: every field some event type has, optional. */
export type EventLine = { time: string; type: WatchEvent['type']; ns: number; mount?: Mount; before?: Mount; pid?: number; comm?: string; by?: MountBy | null; from?: number };
import { CLI } from './lab.js';

export class WatchRun {
  readonly events: EventLine[] = [];
  /** Without --json: the lines as printed. */
  readonly lines: string[] = [];
  readonly proc: ChildProcess;
  stderr = '';
  private waiters: Array<() => void> = [];

  constructor(args: string[], env: NodeJS.ProcessEnv = process.env, json = true) {
    this.proc = spawn(process.execPath, [CLI, 'watch', ...(json ? ['--json'] : []), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let buf = '';
    this.proc.stdout!.on('data', (d) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        if (json) this.events.push(JSON.parse(buf.slice(0, nl)) as EventLine);
        else this.lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      this.wake();
    });
    this.proc.stderr!.on('data', (d) => {
      this.stderr += d;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once the watcher says it is watching. */
  ready(timeoutMs = 30_000): Promise<void> {
    return this.until(() => this.stderr.includes('watching'), timeoutMs, 'the watcher to start');
  }

  /** Waits for an event matching `pred` (among all so far), returns it. */
  async event(pred: (e: EventLine) => boolean, what: string, timeoutMs = 10_000): Promise<EventLine> {
    await this.until(() => this.events.some(pred), timeoutMs, what);
    return this.events.find(pred)!;
  }

  /** Without --json: waits for a line matching `pred`. */
  async line(pred: (l: string) => boolean, what = 'a line', timeoutMs = 10_000): Promise<string> {
    await this.until(() => this.lines.some(pred), timeoutMs, what);
    return this.lines.find(pred)!;
  }

  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.proc.exitCode !== null) throw new Error(`watch exited (${this.proc.exitCode}) waiting for ${what}: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => [e.type, e.ns, e.mount?.target ?? e.pid]))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async stop(): Promise<number | null> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    const done = new Promise<number | null>((r) => this.proc.once('exit', (c) => r(c)));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    const code = await done;
    clearTimeout(t);
    return code;
  }
}

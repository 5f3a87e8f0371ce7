/**
 * Starts a shell exactly as a process of another namespace runs (enter-thread.ts
 * does the work on a thread of its own) and follows it like a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { access } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { threadEntry } from './threads.js';

/** Whose namespaces, root, credentials and capabilities the shell takes, and which shell. */
export interface EnterJob {
  pid: number;
  procRoot: string;
  /** Run as found in that process's root and PATH. */
  shell: string;
  /** Its arguments (none: an interactive shell). */
  args?: string[];
  env: NodeJS.ProcessEnv;
}

export type EnterMessage = { type: 'spawn'; pid: number } | { type: 'error'; message: string } | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null };

/** What the terminal hand-off needs of a child: a ChildProcess is one too. */
export interface ShellProcess {
  readonly pid?: number | undefined;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'error', listener: (e: NodeJS.ErrnoException) => void): this;
}

class ThreadShell extends EventEmitter implements ShellProcess {
  pid: number | undefined;
  /** A kill asked for before the shell had a pid: sent as soon as it has one. */
  private pendingKill: NodeJS.Signals | null = null;
  private ended = false;

  constructor(job: EnterJob) {
    super();
    // libuv's pool must already run before the thread enters the namespace (its
    // threads would share that thread's root and credentials): start it here.
    void access('/').then(
      () => this.start(job),
      () => this.start(job),
    );
  }

  private start(job: EnterJob): void {
    if (this.pendingKill) return this.end(() => this.emit('error', new Error('ended before it started')));
    const worker = new Worker(threadEntry(import.meta.url, './enter-thread.js'), { workerData: { job } });
    // The thread is inside the target's namespaces with its credentials: the shell's
    // end is told only once that thread is gone too, so nothing of the target's
    // state is left in mntns by then.
    let outcome: (() => void) | null = null;
    worker.on('message', (m: EnterMessage) => {
      if (m.type === 'spawn') {
        this.pid = m.pid;
        if (this.pendingKill) this.kill(this.pendingKill);
        return;
      }
      outcome = m.type === 'error' ? () => this.emit('error', new Error(m.message)) : () => this.emit('exit', m.code, m.signal);
      void worker.terminate();
    });
    worker.once('error', (e) => (outcome ??= () => this.emit('error', e)));
    worker.once('exit', () => this.end(outcome ?? (() => this.emit('error', new Error('its thread ended without a word')))));
  }

  private end(report: () => void): void {
    if (this.ended) return;
    this.ended = true;
    report();
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.ended) return false;
    if (this.pid === undefined) {
      this.pendingKill = signal;
      return true;
    }
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** How a shell is started: a host binary's argv (nsenter), or as a process runs. */
export type ShellLaunch = { argv: string[] } | { asProcess: EnterJob };

/**
 * Starts a shell on the terminal (fds 0–2, mntns's process group). Its 'error'
 * carries a message fit to show: the binary and errno, or why it could not start.
 */
export function launchShell(launch: ShellLaunch): ShellProcess {
  if ('asProcess' in launch) return new ThreadShell(launch.asProcess);
  return new ArgvShell(launch.argv);
}

class ArgvShell extends EventEmitter implements ShellProcess {
  private readonly child: ChildProcess;

  constructor([bin, ...args]: string[]) {
    super();
    this.child = spawn(bin, args, { stdio: 'inherit' });
    this.child.once('error', (e: NodeJS.ErrnoException) => this.emit('error', new Error(`${bin}: ${e.code ?? e.message}`)));
    this.child.once('exit', (code, signal) => this.emit('exit', code, signal));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(signal?: NodeJS.Signals): boolean {
    return this.child.kill(signal);
  }
}

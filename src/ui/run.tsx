/**
 * Starts the TUI: alternate screen, Ink, the store and its snapshotter, and a
 * terminal restored on every way out (quit, SIGTERM, SIGHUP, a crash).
 */
import React from 'react';
import { constants } from 'node:os';
import { PassThrough } from 'node:stream';
import { render } from 'ink';
import type { CliArgs } from '../cli-args.js';
import { colourEnabled } from '../format/theme.js';
import { readUserNames } from '../proc/users.js';
import { Store } from '../store/store.js';
import { liveWatcher } from '../watch/live.js';
import { watcherActions } from '../watch/actions.js';
import type { WatchEvent } from '../watch/events.js';
import type { Snapshot } from '../model/types.js';
import { App } from './App.js';
import { Terminal } from './terminal.js';
import { ColourContext } from './theme.js';
import { append } from '../util/append.js';
import { actionsRefusal } from '../sys/privileges.js';
import { launchShell, type ShellLaunch, type ShellProcess } from '../sys/enter-shell.js';

export interface TuiOptions {
  banner?: string;
  store?: Store;
  /** Narrows the view (mntns lab); gets the namespaces mntns made, which always show. */
  shape?: (made: () => ReadonlySet<number>) => (s: Snapshot) => Snapshot;
}

/** Ink gets no terminal input: keys come from the Terminal, which lets go of the tty when others own it. */
const NO_STDIN = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;

export async function runTui(args: CliArgs, opts: TuiOptions = {}): Promise<number> {
  if (process.env.TERM === 'dumb') {
    process.stderr.write("mntns: TERM=dumb can't draw the TUI; use 'mntns --tree' or 'mntns --json'\n");
    return 2;
  }
  const terminal = new Terminal(process.stdout);
  /** The shell started with `e`, while it runs; when the last one ended. */
  let shell: ShellProcess | null = null;
  let shellEnded = -Infinity;
  /** mntns is on its way out: the terminal is not taken back from the shell. */
  let ending = false;

  /**
   * Hands the terminal to a child (a shell in a namespace) and takes it back.
   * The child runs asynchronously, so SIGTERM and SIGHUP still reach mntns
   * meanwhile; a shell that dies without giving the terminal back (killed,
   * crashed, hung up) is taken back from, or the hang-up ends mntns.
   */
  const runInTerminal = (launch: ShellLaunch, banner: string): Promise<number | string> =>
    new Promise((resolve) => {
      terminal.handOver(banner + '\n');
      const child = launchShell(launch);
      shell = child;
      let settled = false;
      const done = (status: number | string): void => {
        if (settled) return;
        settled = true;
        shell = null;
        shellEnded = performance.now();
        if (!ending) terminal.takeBack();
        resolve(status);
      };
      child.once('error', (e) => done(e.message));
      child.once('exit', (code, sig) => done(code ?? 128 + (sig ? constants.signals[sig] : 0)));
    });

  const live = liveWatcher({
    procRoot: args.procRoot,
    pins: args.pins,
    rescanIntervalMs: args.rescanSeconds === null ? undefined : args.rescanSeconds * 1000,
    onError: (m) => store.notify(`watch: ${m}`),
  });
  const actionsOff = args.readonly ? 'read-only (--readonly): actions are off' : actionsRefusal();
  const actions = actionsOff ? null : watcherActions(live.watcher, args.procRoot, process.env.SHELL || '/bin/sh');
  // The first refresh starts the watcher; later ones (the `r` key) rescan everything.
  let started: Promise<unknown> | null = null;
  const store =
    opts.store ??
    new Store(async () => {
      if (!started) return (started = live.watcher.start()).then(() => live.watcher.snapshot());
      await started;
      await live.watcher.resync();
      return live.watcher.snapshot();
    }, actions, opts.shape?.(() => new Set(actions?.made().keys() ?? [])));
  // Batches can come thousands a second in a mount storm: hand the view at most
  // one new snapshot per 100 ms for mount changes, and per second when only
  // processes came and went (a redraw costs more than the news is worth).
  let pending: WatchEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let due = Infinity;
  const deliver = (): void => {
    timer = null;
    due = Infinity;
    const batch = pending;
    pending = [];
    store.applyEvents(live.watcher.snapshot(), batch);
  };
  live.watcher.onReading((inodes) => store.setReading(inodes));
  live.watcher.onBatch((events) => {
    append(pending, events);
    const wait = events.some((e) => e.mount || e.type.startsWith('namespace')) ? 100 : 1000;
    if (performance.now() + wait >= due) return;
    if (timer) clearTimeout(timer);
    due = performance.now() + wait;
    timer = setTimeout(deliver, wait);
  });

  // Every way out goes through here once: the namespaces mntns made end (the
  // default promised on quit), a running shell is hung up (an interactive
  // shell ignores SIGTERM) and killed if it lingers, the screen is given back,
  // and Ink unmounts, which ends the run below; process.exit() instead would
  // hang on the poll thread.
  let exitCode = 0;
  const endWith = (code: number): void => {
    if (ending) return;
    exitCode = code;
    ending = true;
    try {
      store.actions?.endAll();
    } catch {
      // ending the holders is best effort on the way out
    }
    const finish = (): void => {
      terminal.stop();
      instance.unmount();
    };
    const child = shell;
    if (!child) return finish();
    child.once('exit', finish);
    child.kill('SIGHUP');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  };
  // A closed terminal is a hang-up, whichever noticed first: the shell's exit,
  // a failed write, the end of input, or the SIGHUP itself.
  terminal.onGone(() => endWith(129));
  const onCrash = (e: unknown): void => {
    terminal.stop();
    if (!terminal.isGone()) process.stderr.write(`mntns: ${(e as Error)?.stack ?? String(e)}\n`);
    endWith(1);
    exitCode = 1;
    // If the normal way out is stuck too, leave anyway; the terminal is already restored.
    setTimeout(() => process.exit(1), 2000).unref();
  };

  let farewell: string | undefined;
  terminal.start();
  const instance = render(
    <ColourContext.Provider value={colourEnabled(process.env, args.noColor)}>
      <App store={store} actionsOff={actionsOff} runInTerminal={runInTerminal} keys={terminal} suspend={() => terminal.suspend()} select={{ pid: args.pid, ns: args.ns }} banner={opts.banner} user={readUserNames()} onQuit={(f) => (farewell = f)} />
    </ColourContext.Provider>,
    // Not incremental: Ink 6.8's incremental writer moves the cursor one line short
    // after a frame that ends in a newline (any frame shorter than the terminal),
    // drawing every later frame one row low.
    { stdout: terminal.stdout, stdin: NO_STDIN, exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: 60 },
  );
  // SIGINT from outside quits like SIGTERM; while a shell without job control
  // (sh) runs, a Ctrl-C typed in it reaches our process group too and is its own
  // — also one typed just before it exited, which may arrive a moment later.
  const shellsInterrupt = (): boolean => shell !== null || performance.now() - shellEnded < 250;
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGTERM', () => endWith(143)],
    ['SIGHUP', () => endWith(129)],
    ['SIGINT', () => (shellsInterrupt() ? undefined : endWith(130))],
    ['SIGTSTP', () => terminal.suspend()],
    ['SIGCONT', () => terminal.resume()],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  process.on('exit', () => terminal.stop());
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  void store.refresh();
  try {
    await instance.waitUntilExit();
  } finally {
    ending = true; // from here on a signal changes nothing
    terminal.stop();
    if (farewell && !terminal.isGone()) process.stdout.write(`${farewell}\n`);
    if (timer) clearTimeout(timer);
    // The signal handlers stay to the end (they do nothing once mntns is on its
    // way out, and keep nothing alive): a second SIGTERM or a late hangup (a
    // service manager, an impatient user, the shell's session going away) must
    // not kill mntns half-way out by the default action.
    await live.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  return exitCode;
}

/**
 * Starts the TUI: alternate screen, Ink, the store and its snapshotter, and a
 * terminal restored on every way out (quit, SIGTERM, SIGHUP, a crash).
 */
import React from 'react';
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
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
import { ColourContext } from './theme.js';
import { append } from '../util/append.js';
import { actionsRefusal } from '../sys/privileges.js';

const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

export interface TuiOptions {
  banner?: string;
  store?: Store;
  /** Narrows the view (mntns lab); gets the namespaces mntns made, which always show. */
  shape?: (made: () => ReadonlySet<number>) => (s: Snapshot) => Snapshot;
}

/**
 * Ink's stdout, with writes dropped while a child (a shell from `e`) owns the
 * terminal: the watcher keeps the store current meanwhile, and the frame is
 * drawn again when the terminal comes back.
 */
function gatedStdout(out: NodeJS.WriteStream): { stream: NodeJS.WriteStream; hold(on: boolean): void } {
  let held = false;
  const write = (chunk: string | Uint8Array, enc?: unknown, cb?: unknown): boolean => {
    if (!held) return out.write(chunk, enc as BufferEncoding, cb as () => void);
    const done = typeof enc === 'function' ? enc : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
  const stream = new Proxy(out, {
    get(target, prop) {
      if (prop === 'write') return write;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { stream, hold: (on) => (held = on) };
}

export async function runTui(args: CliArgs, opts: TuiOptions = {}): Promise<number> {
  if (process.env.TERM === 'dumb') {
    process.stderr.write("mntns: TERM=dumb can't draw the TUI; use 'mntns --tree' or 'mntns --json'\n");
    return 2;
  }
  const out = process.stdout;
  const gate = gatedStdout(out);
  /** The shell started with `e`, while it runs. */
  let shell: ChildProcess | null = null;
  /** A signal is ending mntns: the terminal is not taken back from the shell. */
  let ending = false;

  /**
   * Hands the terminal to a child (a shell in a namespace) and takes it back: the
   * recipe in ink-facts.md — leave the alternate screen and raw mode, ignore
   * SIGINT while the child owns the terminal, then restore. The child runs
   * asynchronously, so SIGTERM and SIGHUP still reach mntns meanwhile.
   */
  const runInTerminal = (argv: string[], banner: string): Promise<number | string> =>
    new Promise((resolve) => {
      const stdin = process.stdin;
      gate.hold(true);
      out.write(LEAVE_ALT + banner + '\n');
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      const guard = (): void => {};
      process.on('SIGINT', guard);
      const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
      shell = child;
      let settled = false;
      const done = (status: number | string): void => {
        if (settled) return;
        settled = true;
        shell = null;
        // A Ctrl-C typed just before the shell exited may still be on its way.
        setTimeout(() => process.off('SIGINT', guard), 50);
        if (!ending) {
          if (stdin.isTTY) stdin.setRawMode(true);
          stdin.resume();
          out.write(ENTER_ALT);
          gate.hold(false);
        }
        resolve(status);
      };
      child.once('error', (e: NodeJS.ErrnoException) => done(`${argv[0]}: ${e.code ?? e.message}`));
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
  live.watcher.onBatch((events) => {
    append(pending, events);
    const wait = events.some((e) => e.mount || e.type.startsWith('namespace')) ? 100 : 1000;
    if (performance.now() + wait >= due) return;
    if (timer) clearTimeout(timer);
    due = performance.now() + wait;
    timer = setTimeout(deliver, wait);
  });

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    out.write(LEAVE_ALT);
  };
  // A signal ends the app the normal way (unmount → the finally below), so the
  // poll thread is told to stop: process.exit() would hang on a thread blocked in poll.
  let exitCode = 0;
  const onSignal = (_signal: NodeJS.Signals, code: number) => (): void => {
    if (ending) return; // already on the way out
    exitCode = code;
    ending = true;
    store.actions?.endAll(); // the default promised on quit: namespaces mntns made end with it
    const finish = (): void => {
      restore();
      instance.unmount();
    };
    const child = shell;
    if (!child) return finish();
    // The shell from `e` goes the way a closed terminal takes it: hung up (an
    // interactive shell ignores SIGTERM), killed if it lingers.
    child.once('exit', finish);
    child.kill('SIGHUP');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  };
  const onCrash = (e: unknown): void => {
    restore();
    process.stderr.write(`mntns: ${(e as Error)?.stack ?? String(e)}\n`);
    exitCode = 1;
    instance.unmount();
    // If the normal way out is stuck too, leave anyway; the terminal is already restored.
    setTimeout(() => process.exit(1), 2000).unref();
  };

  out.write(ENTER_ALT);
  const instance = render(
    <ColourContext.Provider value={colourEnabled(process.env, args.noColor)}>
      <App store={store} actionsOff={actionsOff} runInTerminal={runInTerminal} select={{ pid: args.pid, ns: args.ns }} banner={opts.banner} user={readUserNames()} onQuit={() => {}} />
    </ColourContext.Provider>,
    // Not incremental: Ink 6.8's incremental writer moves the cursor one line short
    // after a frame that ends in a newline (any frame shorter than the terminal),
    // drawing every later frame one row low.
    { stdout: gate.stream, exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: 60 },
  );
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGTERM', onSignal('SIGTERM', 143)],
    ['SIGHUP', onSignal('SIGHUP', 129)],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  process.on('exit', restore);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  void store.refresh();
  try {
    await instance.waitUntilExit();
  } finally {
    ending = true; // from here on a signal changes nothing
    restore();
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

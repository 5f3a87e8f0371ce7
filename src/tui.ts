/**
 * The TUI's composition root: the live watcher, the actions on it and the store
 * between them and the view; the terminal (alternate screen, keys, a shell from
 * `e`) restored on every way out (quit, SIGTERM, SIGHUP, a crash).
 */
import { colourEnabled } from './format/theme.js';
import { readUserNames } from './proc/users.js';
import { Store } from './store/store.js';
import { liveWatcher } from './watch/live.js';
import { watcherActions } from './actions/live-actions.js';
import type { WatchEvent } from './watch/events.js';
import type { Snapshot } from './model/types.js';
import type { SnapshotOrigin } from './discover/snapshot-file.js';
import { sanitize } from './format/sanitize.js';
import { Terminal } from './ui/terminal.js';
import { ShellHandoff } from './ui/shell-handoff.js';
import { append } from './util/append.js';
import { actionsRefusal } from './sys/privileges.js';

export interface TuiOptions {
  procRoot: string;
  /** Select this process's namespace at start. */
  pid?: number;
  /** The namespace selected at start. */
  ns?: number;
  /** Pin directories to watch. */
  pins: string[];
  /** Re-read every table this often; null: every 10 s, or less often on a big host. */
  rescanSeconds: number | null;
  /** Events the journal keeps (the log pane, `w`). */
  journal: number;
  /** Follow the kernel's mount events (who made a mount). */
  mountEvents: boolean;
  readonly: boolean;
  noColor: boolean;
  /** y copies through the terminal (OSC 52). */
  osc52?: boolean;
  /** The wheel and clicks (off: --no-mouse). */
  mouse?: boolean;
  banner?: string;
  /** A snapshot file to show instead of /proc (--from): read-only, not live. */
  from?: { snapshot: Snapshot; origin: SnapshotOrigin };
  /** Narrows the view (mntns lab); gets the namespaces mntns made, which always show. */
  shape?: (made: () => ReadonlySet<number>) => (s: Snapshot) => Snapshot;
}

export async function runTui(opts: TuiOptions): Promise<number> {
  if (process.env.TERM === 'dumb') {
    process.stderr.write("mntns: TERM=dumb can't draw the TUI; use 'mntns --tree' or 'mntns --json'\n");
    return 2;
  }
  const terminal = new Terminal(process.stdout, opts.mouse !== false);
  const shells = new ShellHandoff(terminal);
  /** mntns is on its way out. */
  let ending = false;

  // A snapshot file (--from) is shown as it is: no watcher, no actions.
  const live = opts.from
    ? null
    : liveWatcher({
        procRoot: opts.procRoot,
        pins: opts.pins,
        rescanIntervalMs: opts.rescanSeconds === null ? undefined : opts.rescanSeconds * 1000,
        mountEvents: opts.mountEvents,
        onError: (m) => store.notify(`watch: ${m}`),
        onPreview: (snap) => store.preview(snap),
      });
  const actionsOff = opts.from ? `a snapshot from ${sanitize(opts.from.origin.file)}: read-only, not live` : opts.readonly ? 'read-only (--readonly): actions are off' : actionsRefusal();
  const actions = actionsOff || !live ? null : watcherActions(live.watcher, opts.procRoot, process.env.SHELL || '/bin/sh');
  // The first snapshot starts the watcher; later ones (the `r` key) rediscover everything.
  let started: Promise<unknown> | null = null;
  const fromFile = opts.from?.snapshot;
  const store = new Store(
    async () => {
      if (!live) return fromFile!;
      if (!started) return (started = live.watcher.start()).then(() => live.watcher.snapshot());
      await started;
      await live.watcher.rediscover();
      return live.watcher.snapshot();
    },
    actions,
    opts.shape?.(() => new Set(actions?.made().keys() ?? [])),
    opts.journal,
  );
  // Started at once: the reader threads read /proc while this thread loads the
  // view (React and Ink: a third of a second).
  void store.rediscover();
  const { renderApp } = await import('./ui/render-app.js');
  // Batches can come thousands a second in a mount storm: hand the view at most
  // one new snapshot per 100 ms for mount changes, and per second when only
  // processes came and went (a redraw costs more than the news is worth).
  let pending: WatchEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let due = Infinity;
  if (live) {
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
      const wait = events.some((e) => 'mount' in e || e.type.startsWith('namespace')) ? 100 : 1000;
      if (performance.now() + wait >= due) return;
      if (timer) clearTimeout(timer);
      due = performance.now() + wait;
      timer = setTimeout(deliver, wait);
    });
  }

  // Every way out goes through here once: the namespaces mntns made end (the
  // default promised on quit), a running shell is hung up, the screen is given
  // back, and Ink unmounts, which ends the run below; process.exit() instead
  // would hang on the poll thread.
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
    shells.hangUp(() => {
      terminal.stop();
      instance.unmount();
    });
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
  const instance = renderApp(
    terminal,
    colourEnabled(process.env, opts.noColor),
    {
      store,
      actionsOff,
      runInTerminal: (launch, banner) => shells.run(launch, banner),
      select: { pid: opts.pid, ns: opts.ns },
      banner: opts.banner,
      user: readUserNames(),
      onQuit: (f) => (farewell = f),
    },
    opts.osc52 === true,
  );
  // SIGINT from outside quits like SIGTERM, but not one meant for a shell from `e`.
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGTERM', () => endWith(143)],
    ['SIGHUP', () => endWith(129)],
    ['SIGINT', () => (shells.ownsInterrupts() ? undefined : endWith(130))],
    ['SIGTSTP', () => terminal.suspend()],
    ['SIGCONT', () => terminal.resume()],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  process.on('exit', () => terminal.stop());
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

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
    await live?.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  return exitCode;
}

/**
 * Starts the TUI: alternate screen, Ink, the store and its snapshotter, and a
 * terminal restored on every way out (quit, SIGTERM, SIGHUP, a crash).
 */
import React from 'react';
import { render } from 'ink';
import type { CliArgs } from '../cli-args.js';
import { takeSnapshot } from '../discover/snapshot.js';
import { ReaderPool } from '../discover/reader-pool.js';
import { colourEnabled } from '../format/theme.js';
import { readUserNames } from '../proc/users.js';
import { Store } from '../store/store.js';
import { listMountNamespaces } from '../sys/ns-list.js';
import { readMountinfoOfNamespace } from '../sys/ns-worker.js';
import { App } from './App.js';
import { ColourContext } from './theme.js';

const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

export interface TuiOptions {
  banner?: string;
  store?: Store;
}

export async function runTui(args: CliArgs, opts: TuiOptions = {}): Promise<number> {
  if (process.env.TERM === 'dumb') {
    process.stderr.write("mntns: TERM=dumb can't draw the TUI; use 'mntns --tree' or 'mntns --json'\n");
    return 2;
  }
  const out = process.stdout;
  const pool = new ReaderPool();
  const store =
    opts.store ??
    new Store(() =>
      takeSnapshot({
        procRoot: args.procRoot,
        reader: pool,
        readHeld: readMountinfoOfNamespace,
        listNamespaces: args.procRoot === '/proc' ? () => listMountNamespaces() : undefined,
      }),
    );

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    out.write(LEAVE_ALT);
  };
  const onSignal = (signal: NodeJS.Signals, code: number) => (): void => {
    instance.unmount();
    restore();
    process.exit(code);
  };
  const onCrash = (e: unknown): void => {
    restore();
    process.stderr.write(`mntns: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  };

  out.write(ENTER_ALT);
  const instance = render(
    <ColourContext.Provider value={colourEnabled(process.env, args.noColor)}>
      <App store={store} select={{ pid: args.pid, ns: args.ns }} banner={opts.banner} user={readUserNames()} onQuit={() => {}} />
    </ColourContext.Provider>,
    // Not incremental: Ink 6.8's incremental writer moves the cursor one line short
    // after a frame that ends in a newline (any frame shorter than the terminal),
    // drawing every later frame one row low.
    { exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: 60 },
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
    restore();
    for (const [s, h] of handlers) process.off(s, h);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await pool.close();
  }
  return 0;
}

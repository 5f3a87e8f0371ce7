#!/usr/bin/env node
/** mntns entry point: arguments → one of TUI, --json, --tree, watch, lab. */
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { parseArgs, UsageError, USAGE, type CliArgs } from './cli-args.js';
import { LookupError } from './discover/lookup-error.js';
import { sanitize } from './format/sanitize.js';
import type { SnapshotOrigin } from './discover/snapshot-file.js';
import type { Snapshot } from './model/types.js';
import type { WatchEvent } from './watch/events.js';
// Everything else is imported by the mode that needs it: --version and --help
// load nothing but the argument parser, --json and --tree no UI.

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** MNTNS_TRACE's line for a step, with the time since node started and the resident set so far. */
function traceLine(text: string): void {
  process.stderr.write(`mntns: ${text} (at ${performance.now().toFixed(0)} ms, rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB)\n`);
}

/** A --from file's snapshot with the CLI's selection applied (as snapshotFor does for /proc). */
async function fileSnapshotFor(args: CliArgs & { from: string }): Promise<Snapshot> {
  const { readSnapshotFile } = await import('./discover/snapshot-file.js');
  const { selectNamespace } = await import('./discover/snapshot.js');
  const { snapshot } = readSnapshotFile(args.from);
  if (args.pid !== undefined) {
    const ns = snapshot.namespaces.find((n) => n.processes.some((p) => p.pid === args.pid));
    if (!ns) throw new LookupError(`no such process in ${args.from === '-' ? 'stdin' : args.from}: ${args.pid}`);
    return selectNamespace(snapshot, ns.inode);
  }
  return args.ns !== undefined ? selectNamespace(snapshot, args.ns) : snapshot;
}

/** One snapshot with the CLI's selection applied. */
async function snapshotFor(args: CliArgs): Promise<Snapshot> {
  if (args.from !== undefined) return fileSnapshotFor({ ...args, from: args.from });
  const { selectNamespace, takeSnapshot } = await import('./discover/snapshot.js');
  const { readMountinfoOfNamespace } = await import('./sys/ns-worker.js');
  const { listMountNamespaces } = await import('./sys/ns-list.js');
  const { ReaderPool } = await import('./discover/reader-pool.js');
  const { keepYoungGenerationSmall } = await import('./util/heap.js');
  keepYoungGenerationSmall();
  const reader = new ReaderPool({ ownShare: true, smallYoungGeneration: true });
  try {
    const snap = await takeSnapshot({
      procRoot: args.procRoot,
      pid: args.pid,
      readHeld: readMountinfoOfNamespace,
      reader,
      readsDone: () => {
        void reader.close();
        keepYoungGenerationSmall(); // again: a thread that read a process-less namespace set it back
      },
      trace: process.env.MNTNS_TRACE ? (step, ms) => traceLine(`${step}: ${ms.toFixed(1)} ms`) : undefined,
      // The kernel's namespace list describes this machine's /proc only.
      listNamespaces: args.procRoot === '/proc' ? () => listMountNamespaces() : undefined,
    });
    return args.ns !== undefined ? selectNamespace(snap, args.ns) : snap;
  } finally {
    await reader.close();
  }
}

/** `mntns watch`: events until SIGINT/SIGTERM, one line each, flushed as they come. */
async function runWatch(args: CliArgs): Promise<number> {
  const { liveWatcher } = await import('./watch/live.js');
  const { eventJson, eventText } = await import('./output/watch-lines.js');
  const { eventFilter } = await import('./output/watch-filter.js');
  const live = liveWatcher({
    procRoot: args.procRoot,
    pid: args.pid,
    pins: args.pins,
    rescanIntervalMs: args.rescanSeconds === null ? undefined : args.rescanSeconds * 1000,
    mountEvents: !args.noMountEvents,
    onError: (m) => process.stderr.write(`mntns: ${m}\n`),
    trace: process.env.MNTNS_TRACE ? (m) => process.stderr.write(`mntns: ${m}\n`) : undefined,
  });
  const format = args.json ? eventJson : eventText;
  const wanted = eventFilter({ ns: args.ns, types: args.types && new Set(args.types as WatchEvent['type'][]), path: args.path });
  live.watcher.onBatch((events) => {
    for (const e of events) if (wanted(e)) process.stdout.write(format(e));
  });
  try {
    await live.watcher.start();
  } catch (e) {
    await live.close(); // the poll thread would keep the process alive
    throw e;
  }
  if (args.ns !== undefined && !live.watcher.snapshot().namespaces.some((n) => n.inode === args.ns)) {
    await live.close();
    throw new LookupError(`no such mount namespace: ${args.ns}`);
  }
  // On stderr, also with --json: scripts can wait for this line before acting.
  process.stderr.write(`mntns: watching ${live.watcher.snapshot().namespaces.length} mount namespace(s); Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => resolve());
    process.stdout.once('error', () => resolve()); // the reader went away (EPIPE)
  });
  await live.close();
  return 0;
}

/**
 * `mntns --json | head -c 100`: the reader went away. Nothing is left to say
 * and nobody to say it to; end at once and quietly, as `watch` does.
 */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`mntns: stdout: ${e.code ?? e.message}\n`);
    process.exit(1);
  });
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mntns: ${e.message}\nTry 'mntns --help'.\n`);
      return 2;
    }
    throw e;
  }
  if (args.mode === 'json' || args.mode === 'tree' || args.mode === 'diff' || args.mode === 'where') quietOnClosedPipe();
  switch (args.mode) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`mntns ${version()}\n`);
      return 0;
    case 'completion':
      process.stdout.write((await import('./completions.js')).completionScript(args.shell!));
      return 0;
    case 'json': {
      const snap = await snapshotFor(args);
      const { writeSnapshotJson } = await import('./output/json.js');
      const t = performance.now();
      await writeSnapshotJson(snap, process.stdout, process.stdout.isTTY === true);
      if (process.env.MNTNS_TRACE) traceLine(`json output: ${(performance.now() - t).toFixed(1)} ms`);
      return 0;
    }
    case 'tree': {
      const snap = await snapshotFor(args);
      const { renderTree } = await import('./output/tree-text.js');
      const { colourEnabled } = await import('./format/theme.js');
      process.stdout.write(renderTree(snap, process.stdout.isTTY === true && colourEnabled(process.env, args.noColor), { columns: args.columns, list: args.list, verbose: args.verbose }));
      return 0;
    }
    case 'watch':
      return runWatch(args);
    case 'diff':
    case 'where': {
      const { runDiff, runWhere } = await import('./diff-where.js');
      // The other side of a file: this host now, or the --from snapshot.
      const source = async () => {
        if (args.from === undefined) return { snapshot: await snapshotFor(args), origin: null };
        const { readSnapshotFile } = await import('./discover/snapshot-file.js');
        return readSnapshotFile(args.from);
      };
      const out = args.mode === 'diff' ? await runDiff(args.operands, source) : await runWhere(args.operands[0], source);
      process.stdout.write(args.json ? JSON.stringify(out.json) + '\n' : out.text);
      return 0;
    }
    default: {
      // The TUI and the lab: a terminal, and React's production build (the
      // development one is several times slower per frame).
      // isatty, not process.stdin.isTTY: that getter opens a stream on the terminal,
      // and the TUI reads through its own (src/ui/terminal.ts).
      // A snapshot piped in (`ssh host mntns --json | mntns --from -`): read it
      // all, then take the keys from the terminal.
      let piped: { snapshot: Snapshot; origin: SnapshotOrigin } | undefined;
      if (args.mode === 'tui' && args.from === '-' && !isatty(0) && isatty(1)) {
        piped = (await import('./discover/snapshot-file.js')).readSnapshotFile('-');
        try {
          (await import('./sys/tty.js')).stdinFromTerminal();
        } catch (e) {
          throw new LookupError(`no terminal to read keys from (/dev/tty: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
      }
      if (!isatty(1) || !isatty(0)) {
        process.stderr.write(args.mode === 'lab' ? 'mntns: the lab is a TUI and needs a terminal\n' : "mntns: the TUI needs a terminal; use 'mntns --json' or 'mntns --tree' for a snapshot\n");
        return 2;
      }
      process.env.NODE_ENV ??= 'production';
      const tui = {
        procRoot: args.procRoot,
        pid: args.pid,
        ns: args.ns,
        pins: args.pins,
        rescanSeconds: args.rescanSeconds,
        journal: args.journal,
        mountEvents: !args.noMountEvents,
        readonly: args.readonly,
        noColor: args.noColor,
        osc52: args.osc52,
        mouse: !args.noMouse,
      };
      if (args.mode === 'lab') return (await import('./lab.js')).runLab(tui);
      if (args.from !== undefined) {
        // Read before the screen is taken: a bad file is a one-line error, as with --json.
        const { readSnapshotFile } = await import('./discover/snapshot-file.js');
        const from = piped ?? readSnapshotFile(args.from);
        const banner = ` FROM ${sanitize(from.origin.file)} · taken ${from.origin.time} · read-only `;
        return (await import('./tui.js')).runTui({ ...tui, from, banner, readonly: true });
      }
      return (await import('./tui.js')).runTui(tui);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof LookupError) {
      process.stderr.write(`mntns: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`mntns: ${err?.code ? `${err.code}: ` : ''}${err?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);

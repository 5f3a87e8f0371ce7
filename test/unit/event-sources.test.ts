/**
 * The watcher's event sources on their own, over a fake procfs and a fixed
 * clock: the mount-table source turns a wake into mount events, the process
 * source turns kernel process events into process and namespace events.
 */
import { closeSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { aNamespace, aProcess, fakeProcess } from '../helpers/model.js';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MountNamespace } from '../../src/model/types.js';
import type { WatchEvent } from '../../src/watch/events.js';
import type { PolledTable } from '../../src/sys/poll-thread.js';
import { MountTables, type SourceContext, type TableOptions } from '../../src/watch/tables.js';
import { Processes } from '../../src/watch/processes.js';
import { monoMs } from '../../src/sys/mono.js';

const ROOT = '1 0 8:1 / / rw - ext4 /dev/a rw';
const B = '2 1 0:40 / /b rw - tmpfs b rw';
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

let dir = '';
/** Table fds the sources opened (closed after each test). */
let open: MountTables | null = null;
afterEach(() => {
  for (const fd of open?.openFds() ?? []) closeSync(fd);
  open = null;
  rmSync(dir, { recursive: true, force: true });
});

const addProcess = (pid: number, table: string): void => fakeProcess(dir, pid, 7, table);

function setup(opts: TableOptions = {}) {
  dir = mkdtempSync(`${tmpdir()}/mntns-sources.`);
  const events: WatchEvent[] = [];
  let now = T0;
  const ctx: SourceContext = {
    procRoot: dir,
    clock: { now: () => now, mono: () => performance.now() },
    emit: (e) => events.push(...e),
    changed: () => {},
    stopped: () => false,
    rediscover: () => {},
  };
  const fds: number[][] = [];
  const pushed: PolledTable[][] = [];
  const tables = new MountTables(
    ctx,
    (t) => {
      pushed.push(t);
      fds.push(t.map((x) => x.fd));
    },
    opts,
  );
  open = tables;
  const ns = (table: string): MountNamespace => aNamespace(7, [aProcess(100, 7, ['p100'])], table);
  return { ctx, tables, events, fds, pushed, ns, tick: (ms: number) => (now += ms) };
}

describe('MountTables', () => {
  it('a wake on a table fd reads it and emits what changed, stamped by the clock', () => {
    const { tables, events, fds, pushed, ns } = setup();
    addProcess(100, `${ROOT}\n`);
    const n = ns(`${ROOT}\n`);
    tables.states.set(7, { ns: n, table: tables.follow(n) });
    tables.pushFds();
    expect(fds.at(-1)).toHaveLength(1);
    // The poll thread marks the namespace for mount events through the process the table is read through.
    expect(pushed.at(-1)).toEqual([{ fd: fds.at(-1)![0], inode: 7, nsPath: `${dir}/100/ns/mnt` }]);
    writeFileSync(`${dir}/100/mountinfo`, `${ROOT}\n${B}\n`);
    tables.onFire(fds.at(-1)!);
    expect(events.map((e) => `${e.time} ${e.type} ${'mount' in e ? e.mount.target : ''}`)).toEqual(['2026-12-01T09:00:00.000Z mount /b']);
    // A wake on an fd it does not know reads nothing.
    tables.onFire([99999]);
    expect(events).toHaveLength(1);
  });
});

describe('MountTables with mount events', () => {
  // A whole read right after another waits for the storm's spacing (twice the
  // last read's cost, on the real clock): under load the last read cost more and
  // the read came after the check (seen once on the shared-propagation run). The
  // checks wait for the reads; with 200 times the cost (a read costs more than the
  // 2.5 µs that would make it under half a millisecond) every read after a read
  // waits, so the test also holds where they always do.
  it.each([
    ['as spaced by default', {}],
    ['with every read after a read deferred', { coalesceFactor: 200 }],
  ] as Array<[string, TableOptions]>)('a wake its mount events explained is not read; events that do not explain the table, and lost ones, are read whole (%s)', async (_, opts) => {
    const { tables, events, fds, ns } = setup(opts);
    addProcess(100, `${ROOT}\n`);
    const n = ns(`${ROOT}\n`);
    tables.states.set(7, { ns: n, table: tables.follow(n) });
    tables.pushFds();
    tables.setMarked([7]);
    const fd = fds.at(-1)!;
    const targets = () => events.map((e) => `${e.type} ${'mount' in e ? e.mount.target : ''}`);
    writeFileSync(`${dir}/100/mountinfo`, `${ROOT}\n${B}\n`);
    tables.onFire(fd, fd);
    expect(events).toEqual([]);
    // This table is a plain file, not one the kernel generates: no appended lines to take the mount from.
    tables.onRecords([{ inode: 7, id: 2, parent: 1, major: 0, minor: 40, attach: true, detach: false, pid: 4242 }], monoMs());
    expect(targets()).toEqual(['mount /b']);
    // An overflow (or an event not placed): the tables named are read whole, with no record for them.
    writeFileSync(`${dir}/100/mountinfo`, `${ROOT}\n${B}\n3 1 0:41 / /c rw - tmpfs c rw\n`);
    tables.onRecords([], monoMs(), [7]);
    await vi.waitFor(() => expect(targets()).toEqual(['mount /b', 'mount /c']), 5000);
    // Records of a namespace without a mark are not its change source: its wakes are.
    tables.setMarked([]);
    writeFileSync(`${dir}/100/mountinfo`, `${ROOT}\n${B}\n`);
    tables.onFire(fd, fd);
    await vi.waitFor(() => expect(targets()).toEqual(['mount /b', 'mount /c', 'umount /c']), 5000);
  });
});

describe('Processes', () => {
  it('kernel process events become process events; the last one gone ends the namespace', async () => {
    const { ctx, tables, events, ns, tick } = setup();
    addProcess(100, `${ROOT}\n`);
    const n = ns(`${ROOT}\n`);
    tables.states.set(7, { ns: n, table: tables.follow(n) });
    const fd = tables.states.get(7)!.table.fd!; // handed back to close when the namespace ends
    const procs = new Processes(ctx, tables, () => null);
    procs.reset([n]);
    addProcess(300, `${ROOT}\n`);
    tick(1000);
    procs.onEvents({ forked: [300], execd: [], exited: [], overrun: false });
    await vi.waitFor(() => expect(events.map((e) => `${e.type} ${'pid' in e ? e.pid : ''}`)).toEqual(['process-added 300']));
    expect(events[0].time).toBe('2026-12-01T09:00:01.000Z');
    expect(procs.nsOf(300)).toBe(7);
    // Born and gone within one batch: never shown, never reported.
    procs.onEvents({ forked: [400], execd: [], exited: [400], overrun: false });
    procs.onEvents({ forked: [], execd: [], exited: [300, 100], overrun: false });
    await vi.waitFor(() => expect(events.map((e) => `${e.type} ${'pid' in e ? e.pid : ''}`)).toEqual(['process-added 300', 'process-removed 300', 'process-removed 100', 'namespace-removed ']));
    expect(tables.states.has(7)).toBe(false);
    procs.stop();
    closeSync(fd);
  });
  it('waits for a rediscovery under way before applying events', async () => {
    const { ctx, tables, events, ns } = setup();
    addProcess(100, `${ROOT}\n`);
    const n = ns(`${ROOT}\n`);
    tables.states.set(7, { ns: n, table: tables.follow(n) });
    let release!: () => void;
    let busy: Promise<void> | null = new Promise<void>((r) => (release = r));
    const procs = new Processes(ctx, tables, () => busy);
    procs.reset([n]);
    addProcess(300, `${ROOT}\n`);
    procs.onEvents({ forked: [300], execd: [], exited: [], overrun: false });
    await new Promise((r) => setTimeout(r, 120));
    expect(events).toEqual([]);
    busy = null;
    release();
    await vi.waitFor(() => expect(events.map((e) => e.type)).toEqual(['process-added']));
    procs.stop();
  });
});

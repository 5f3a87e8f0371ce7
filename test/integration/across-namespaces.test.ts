/**
 * Across namespaces on real lab namespaces, through the built `mntns`: diff of
 * a container and its host, where of a source held in three namespaces (one
 * only by a pin), and a --json snapshot read back with --from.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, expect, it, onTestFinished } from 'vitest';
import type { Snapshot } from '../../src/model/types.js';
import { linkPeerGroups } from '../../src/model/peer-groups.js';
import { linksOf } from '../../src/model/propagation-map.js';
import { describeRoot, REPO, runCli, startLab, stopAllLabs, type Lab } from '../helpers/lab.js';

let lab: Lab | null = null;
afterEach(async () => {
  await lab?.stop();
  lab = null;
});
afterAll(stopAllLabs);
/** A directory for this test's files, gone with the test (made inside it: a skipped suite leaves none). */
function tempDir(): string {
  const d = mkdtempSync(`${tmpdir()}/mntns-across.`);
  onTestFinished(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

interface DiffJson {
  a: { ns: number };
  b: { ns: number };
  counts: Record<string, number>;
  onlyA: Array<{ target: string; source: string }>;
  onlyB: Array<{ target: string; source: string }>;
  changed: Array<{ target: string; fields: string[] }>;
}

async function diff(...args: string[]): Promise<DiffJson> {
  const r = await runCli(['diff', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as DiffJson;
}

describeRoot('diff, where and --from', () => {
  it('diff: the fixed container has exactly its own tmpfs more than its host, and its root made private', async () => {
    lab = await startLab('leak-fixed');
    const { host, container, mountpoint } = lab.info;
    const d = await diff(String(host.pid), String(container.pid));
    expect([d.a.ns, d.b.ns]).toEqual([host.ns, container.ns]);
    expect(d.onlyA).toEqual([]);
    expect(d.onlyB.map((m) => [m.target, m.source])).toEqual([[mountpoint, 'leaked']]);
    const root = mountpoint.replace(/\/mntpoint$/, '');
    expect(d.changed.map((c) => [c.target, c.fields])).toEqual([[root, ['propagation']]]);
    // By inode it is the same comparison; the text says it like diff(1).
    expect((await diff(String(host.ns), String(container.ns))).onlyB).toEqual(d.onlyB);
    const text = (await runCli(['diff', String(host.pid), String(container.pid)])).stdout;
    expect(text).toContain(`only in A 0 · only in B 1 · changed 1`);
    expect(text).toMatch(new RegExp(`^\\+ ${mountpoint}  tmpfs leaked`, 'm'));
  });
  it('diff: the leaking container has nothing its host lacks — the leak put it on both sides', async () => {
    lab = await startLab('leak');
    const { host, container } = lab.info;
    const d = await diff(String(host.pid), String(container.pid));
    expect([d.onlyA, d.onlyB, d.changed]).toEqual([[], [], []]);
    expect(d.counts.same).toBeGreaterThan(0);
  });
  it('where: a source held in three namespaces, one of them only through a pin, with who holds each', async () => {
    const proc = spawn(`${REPO}/test/fixtures/where-three.sh`, [], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const info = JSON.parse(
        await new Promise<string>((res, rej) => {
          proc.stdout!.once('data', (d) => res(String(d).split('\n')[0]));
          proc.once('exit', (code) => rej(new Error(`where-three.sh exited ${code}`)));
        }),
      );
      const r = await runCli(['where', 'mntns-where-src', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const w = JSON.parse(r.stdout) as { namespaces: Array<{ ns: number; mounts: Array<{ match: string; target: string }>; processes: Array<{ pid: number }>; holders: unknown[] }> };
      expect(w.namespaces.map((n) => n.ns).sort()).toEqual([info.labNs, info.kept, info.pinned].sort());
      for (const n of w.namespaces) expect(n.mounts.map((m) => [m.match, m.target])).toEqual([['source', info.data]]);
      const pinned = w.namespaces.find((n) => n.ns === info.pinned)!;
      expect(pinned.processes).toEqual([]);
      expect(pinned.holders).toEqual([expect.objectContaining({ kind: 'bind', path: info.pin })]);
      expect(w.namespaces.find((n) => n.ns === info.kept)!.processes.map((p) => p.pid)).toEqual([info.keptPid]);
      // By mount point and by device: the same three.
      const byPath = JSON.parse((await runCli(['where', `${info.data}/`, '--json'])).stdout) as typeof w;
      expect(byPath.namespaces.map((n) => n.ns).sort()).toEqual([info.labNs, info.kept, info.pinned].sort());
      const text = (await runCli(['where', info.data])).stdout;
      expect(text).toContain(`${info.data}: in 3 namespaces`);
      expect(text).toContain(`held by bind mount ${info.pin}`);
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    }
  });
  it("the map's links are exactly the peer groups and master links of --json, on the slave chain and the peers", async () => {
    for (const scenario of ['slave', 'peers']) {
      lab = await startLab(scenario);
      const snap = JSON.parse((await runCli(['--json'])).stdout) as Snapshot;
      // From the JSON's own peerGroups: members are peers, a member's group sends to its slaves.
      const want = new Set<string>();
      for (const g of snap.peerGroups) {
        const members = new Set(g.members.map((r) => r.ns));
        const slaves = new Set(g.slaves.map((r) => r.ns));
        for (const x of members) for (const y of members) if (x !== y) want.add(`${x} peer ${y} ${g.id}`);
        for (const x of members) for (const y of slaves) if (x !== y) want.add(`${x} sends ${y} ${g.id}`);
        for (const y of slaves) for (const x of members) if (x !== y) want.add(`${y} receives ${x} ${g.id}`);
      }
      const index = linkPeerGroups(snap.namespaces);
      const got = new Set(snap.namespaces.flatMap((ns) => linksOf(index, ns.inode).flatMap((l) => l.groups.map((g) => `${ns.inode} ${l.kind} ${l.ns} ${g}`))));
      expect([...got].sort()).toEqual([...want].sort());
      const lab0 = lab.info.slavens?.ns ?? lab.info.ns2.ns;
      expect([...got].some((e) => e.startsWith(`${lab0} `))).toBe(true);
      await lab.stop();
      lab = null;
    }
  });
  it('--from: a snapshot gives the --tree, --json and diff of the live run it was taken from; diff OLD NEW says what changed', async () => {
    lab = await startLab('peers');
    const { ns1, ns2 } = lab.info;
    const dir = tempDir();
    const live = await runCli(['--json']);
    const file = `${dir}/snap.json`;
    writeFileSync(file, live.stdout);
    for (const sel of [
      ['--ns', String(ns1.ns)],
      ['--pid', String(ns2.pid)],
    ]) {
      const a = await runCli(['--tree', ...sel]);
      const b = await runCli(['--tree', ...sel, '--from', file]);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toBe(a.stdout);
    }
    const again = JSON.parse((await runCli(['--json', '--from', file, '--ns', String(ns2.ns)])).stdout) as Snapshot;
    expect(again.namespaces.map((n) => n.inode)).toEqual([ns2.ns]);
    // The file against the live namespace: unchanged.
    const same = await diff(file, String(ns1.pid));
    expect(same.counts).toMatchObject({ onlyA: 0, onlyB: 0, changed: 0 });
    // Two moments: a tmpfs made in ns1 between them is the one change.
    // In the lab: Y is shared with ns2, so the mount shows in both.
    const inNs1 = ['-t', String(ns1.pid), '-m', '--'];
    execFileSync('nsenter', [...inNs1, 'mkdir', '-p', `${lab.info.Y}/new`]);
    execFileSync('nsenter', [...inNs1, 'mount', '-t', 'tmpfs', 'between', `${lab.info.Y}/new`]);
    const later = `${dir}/later.json`;
    writeFileSync(later, (await runCli(['--json'])).stdout);
    const r = await runCli(['diff', file, later, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const moments = JSON.parse(r.stdout) as { namespaces: Array<{ ns: number; onlyB: Array<{ source: string }> }> };
    const changed = moments.namespaces.filter((n) => n.onlyB.length);
    expect(changed.map((n) => [n.ns, n.onlyB.map((m) => m.source)])).toEqual([
      [ns1.ns, ['between']],
      [ns2.ns, ['between']],
    ]);
  });
});

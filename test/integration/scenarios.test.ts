/**
 * The facts of ../shared/lab/README.md, read by the built `mntns --json` from
 * real namespaces built by the lab scenarios.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { Mount, MountNamespace, Snapshot } from '../../src/model/types.js';
import { describeRoot, runCli, startLab, stopAllLabs, type Lab } from '../helpers/lab.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';

let lab: Lab | null = null;
afterEach(async () => {
  await lab?.stop();
  lab = null;
});
afterAll(stopAllLabs);

async function snapshot(args: string[] = []): Promise<Snapshot> {
  const r = await runCli(['--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Snapshot;
}
const nsOf = (s: Snapshot, inode: number): MountNamespace => {
  const ns = s.namespaces.find((n) => n.inode === inode);
  if (!ns) throw new Error(`namespace ${inode} not in snapshot`);
  return ns;
};
const at = (ns: MountNamespace, target: string): Mount[] => ns.mounts.filter((m) => m.target === target);

describeRoot('lab scenarios through mntns --json', () => {
  it('leak: the container tmpfs is in both namespaces, in one peer group', async () => {
    lab = await startLab('leak');
    const { host, container, mountpoint } = lab.info;
    const s = await snapshot();
    const inHost = at(nsOf(s, host.ns), mountpoint).find((m) => m.source === 'leaked');
    const inCont = at(nsOf(s, container.ns), mountpoint).find((m) => m.source === 'leaked');
    expect(inHost, 'leaked tmpfs visible in the host').toBeDefined();
    expect(inCont).toBeDefined();
    expect(inHost!.propagation.shared).not.toBeNull();
    expect(inHost!.propagation.shared).toBe(inCont!.propagation.shared);
    const g = s.peerGroups.find((x) => x.id === inHost!.propagation.shared)!;
    expect(g.members.map((m) => m.ns).sort()).toEqual([host.ns, container.ns].sort());
    // The lab root the container copied is a peer of the host's: the cause of the leak.
    const root = mountpoint.replace(/\/mntpoint$/, '');
    expect(at(nsOf(s, container.ns), root)[0].propagation.shared).toBe(at(nsOf(s, host.ns), root)[0].propagation.shared);
    expect(nsOf(s, host.ns).processes.map((p) => p.pid)).toContain(host.pid);
  });

  it('leak-fixed: the tmpfs stays in the container, whose root copy is private', async () => {
    lab = await startLab('leak-fixed');
    const { host, container, mountpoint } = lab.info;
    const s = await snapshot();
    expect(at(nsOf(s, host.ns), mountpoint)).toEqual([]);
    expect(at(nsOf(s, container.ns), mountpoint).map((m) => m.source)).toEqual(['leaked']);
    const root = at(nsOf(s, container.ns), mountpoint.replace(/\/mntpoint$/, ''))[0];
    expect(root.propagation).toEqual({ shared: null, master: null, propagateFrom: null, unbindable: false });
  });

  it("peers: groups {X, X', Z} and {Y, Y'}; Z absent from ns2", async () => {
    lab = await startLab('peers');
    const { ns1, ns2, X, Y, Z } = lab.info;
    const s = await snapshot();
    const x = at(nsOf(s, ns1.ns), X)[0];
    const y = at(nsOf(s, ns1.ns), Y)[0];
    const gx = s.peerGroups.find((g) => g.id === x.propagation.shared)!;
    const gy = s.peerGroups.find((g) => g.id === y.propagation.shared)!;
    const members = (g: typeof gx) => g.members.map((m) => `${m.ns === ns1.ns ? 'ns1' : m.ns === ns2.ns ? 'ns2' : m.ns}:${m.target}`).sort();
    expect(members(gx)).toEqual([`ns1:${X}`, `ns1:${Z}`, `ns2:${X}`].sort());
    expect(members(gy)).toEqual([`ns1:${Y}`, `ns2:${Y}`].sort());
    expect(at(nsOf(s, ns2.ns), Z)).toEqual([]);
  });

  it('slave: read through the chrooted process, /c is master:G2 propagate_from:G1', async () => {
    lab = await startLab('slave');
    const { chrooted, slavens, a, b } = lab.info;
    const s = await snapshot(['--pid', String(chrooted.pid)]);
    expect(s.namespaces.map((n) => n.inode)).toEqual([chrooted.ns]);
    const ns = s.namespaces[0];
    expect(ns.readVia).toBe(chrooted.pid);
    expect(ns.processes.find((p) => p.pid === chrooted.pid)!.chrooted).toBe(true);
    const ma = at(ns, '/a')[0];
    const mc = at(ns, '/c')[0];
    const g1 = ma.propagation.shared!;
    expect(g1).not.toBeNull();
    expect(mc.propagation.propagateFrom).toBe(g1);
    expect(mc.propagation.master).not.toBeNull();
    expect(mc.propagation.master).not.toBe(g1);
    // G2 is b's group, seen from the lab namespace read through a root-'/' process.
    const full = await snapshot();
    const mb = at(nsOf(full, chrooted.ns), b)[0];
    expect(mb.propagation.shared).toBe(mc.propagation.master);
    expect(mb.propagation.master).toBe(g1);
    expect(at(nsOf(full, chrooted.ns), a)[0].propagation.shared).toBe(g1);
    // Every shared mount of the lab namespace is a plain slave in slavens.
    const labNs = nsOf(full, chrooted.ns);
    const slaveNs = nsOf(full, slavens.ns);
    const sharedOnes = labNs.mounts.filter((m) => m.propagation.shared !== null);
    expect(sharedOnes.length).toBeGreaterThan(0);
    for (const m of sharedOnes) {
      const copy = at(slaveNs, m.target)[0];
      expect(copy.propagation, m.target).toMatchObject({ shared: null, master: m.propagation.shared });
    }
  });

  it('proc: a second proc mount is stacked on the host /proc, the first hidden', async () => {
    lab = await startLab('proc');
    const { host, pidns } = lab.info;
    const s = await snapshot();
    const procs = at(nsOf(s, host.ns), '/proc').filter((m) => m.fstype === 'proc');
    expect(procs.length).toBe(2);
    expect(procs[1].parent).toBe(procs[0].id);
    expect(procs.map((m) => m.hidden)).toEqual([true, false]);
    expect(procs[1].propagation.shared).not.toBeNull();
    const childProc = at(nsOf(s, pidns.ns), '/proc').filter((m) => m.fstype === 'proc');
    expect(childProc.map((m) => m.propagation.shared)).toContain(procs[1].propagation.shared);
  });

  it('hostile: every path exact in JSON, no raw control byte in --tree, nothing executed', async () => {
    lab = await startLab('hostile');
    const { holder, lab: dir, count } = lab.info;
    const s = await snapshot(['--ns', String(holder.ns)]);
    const names = nsOf(s, holder.ns)
      .mounts.filter((m) => m.target.startsWith(`${dir}/h/`))
      .map((m) => m.target.slice(dir.length + 3));
    expect(names).toEqual(HOSTILE_NAMES);
    expect(names.length + 1).toBe(count);
    const tree = await runCli(['--tree', '--ns', String(holder.ns)]);
    expect(tree.code).toBe(0);

    expect(tree.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/);
    expect(tree.stdout).toContain('title\\e]0;pwned\\a');
    expect(tree.stdout).toContain('new\\nline');
    for (const d of [process.cwd(), dir, `${dir}/h`]) {
      expect(existsSync(d) ? readdirSync(d).filter((f) => f.startsWith('mntns-pwned')) : []).toEqual([]);
    }
  });
});

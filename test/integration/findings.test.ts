/** Findings on the lab scenarios (../shared/lab/README.md), read by the built `mntns --json`. */
import { afterAll, afterEach, expect, it } from 'vitest';
import type { Finding, Snapshot } from '../../src/model/types.js';
import { describeRoot, runCli, startLab, stopAllLabs, type Lab } from '../helpers/lab.js';

let lab: Lab | null = null;
afterEach(async () => {
  await lab?.stop();
  lab = null;
});
afterAll(stopAllLabs);

async function findingsOf(): Promise<Map<number, Finding[]>> {
  const r = await runCli(['--json']);
  expect(r.code, r.stderr).toBe(0);
  const s = JSON.parse(r.stdout) as Snapshot;
  return new Map(s.namespaces.map((n) => [n.inode, n.findings]));
}
const codes = (fs: Finding[] | undefined) => (fs ?? []).map((f) => f.code);

describeRoot('findings on lab scenarios', () => {
  it('leak: host and container each get mount-leak naming the other, with the fix', async () => {
    lab = await startLab('leak');
    const { host, container, mountpoint } = lab.info;
    const root = mountpoint.replace(/\/mntpoint$/, '');
    const f = await findingsOf();
    for (const [me, other] of [
      [host.ns, container.ns],
      [container.ns, host.ns],
    ]) {
      const leak = f.get(me)!.find((x) => x.code === 'mount-leak')!;
      expect(leak, `ns ${me}`).toBeDefined();
      expect(leak.severity).toBe('warning');
      expect(leak.namespaces).toEqual([other]);
      expect(leak.message).toContain(`mnt:[${other}]`);
      expect(leak.message).toContain(root);
      expect(leak.message).toMatch(/also appear in .*and mounts made there appear here/);
      // The mount point below the root is shared too: P is the fix, and it says why p is not.
      expect(leak.fix).toContain(`make ${root} and every mount below it private (P): ${mountpoint} below it is shared too, so p on ${root} alone leaves that leaking`);
    }
  });

  it('leak-fixed: no leak finding for the container', async () => {
    lab = await startLab('leak-fixed');
    const f = await findingsOf();
    expect(codes(f.get(lab.info.container.ns))).not.toContain('mount-leak');
    expect(codes(f.get(lab.info.container.ns))).toContain('private');
  });

  it('proc: the host namespace gets the /proc finding, already covered', async () => {
    lab = await startLab('proc');
    const f = await findingsOf();
    const p = f.get(lab.info.host.ns)!.find((x) => x.code === 'proc-shared')!;
    expect(p).toBeDefined();
    expect(p.namespaces).toContain(lab.info.pidns.ns);
    expect(p.message).toMatch(/already covered this \/proc/);
  });

  it("peers: X and Y are named for both namespaces, Z's private parent is not", async () => {
    lab = await startLab('peers');
    const { ns1, ns2, X, Y, Z, lab: dir } = lab.info;
    const f = await findingsOf();
    const one = f.get(ns1.ns)!.filter((x) => x.code === 'mount-leak');
    const text = one.map((x) => x.message).join('\n');
    for (const p of [X, Y]) expect(text).toContain(p);
    expect(one.every((x) => x.namespaces.includes(ns2.ns))).toBe(true);
    expect(text).not.toMatch(new RegExp(`under ${dir.replace(/[.]/g, '\\.')}[ ,]`));
    const two = f
      .get(ns2.ns)!
      .filter((x) => x.code === 'mount-leak')
      .map((x) => x.message)
      .join('\n');
    for (const p of [X, Y]) expect(two).toContain(p);
    expect(two).not.toContain(Z);
  });

  it('slave: the slave namespace receives one way; the lab namespace sends one way', async () => {
    lab = await startLab('slave');
    const { chrooted, slavens } = lab.info;
    const f = await findingsOf();
    const recv = f.get(slavens.ns)!.find((x) => x.code === 'mount-receives')!;
    expect(recv.severity).toBe('info');
    expect(recv.namespaces).toContain(chrooted.ns);
    expect(recv.message).toMatch(/nothing made here goes back/);
    const send = f.get(chrooted.ns)!.find((x) => x.code === 'mount-leak' && x.namespaces.includes(slavens.ns))!;
    expect(send.message).toMatch(/slaves: nothing made there comes back/);
  });

  it('negative: a private copy crosses nothing and says so', async () => {
    lab = await startLab('hostile');
    const f = await findingsOf();
    expect(codes(f.get(lab.info.holder.ns))).toEqual(['private']);
  });

  it('no flood: 30 slave namespaces of a shared tree give a handful of findings each', async () => {
    lab = await startLab('scale', ['--namespaces', '30', '--mounts', '200', '--procs', '40']);
    const f = await findingsOf();
    for (const { ns } of lab.info.namespaces) expect(f.get(ns)!.length, `ns ${ns}`).toBeLessThanOrEqual(3);
    const labNs = f.get(lab.info.namespaces[0].ns)!;
    const send = labNs.find((x) => x.code === 'mount-leak')!;
    expect(send.namespaces.length).toBe(30);
    expect(send.message).toMatch(/and 27 more namespaces/);
  });
});

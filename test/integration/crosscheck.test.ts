/**
 * Our reading of every lab namespace against util-linux on the same namespaces,
 * at the same moment: mounts against `findmnt -J -N PID`, process counts against
 * `lsns -J -t mnt`.
 */
import { afterAll, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/types.js';
import { describeRoot, run, runCli, startLab, stopAllLabs } from '../helpers/lab.js';

afterAll(stopAllLabs);

interface FindmntFs {
  id: number;
  parent: number;
  target: string;
  fstype: string;
  fsroot: string;
  'opt-fields': string | null;
  children?: FindmntFs[];
}
const flat = (list: FindmntFs[]): FindmntFs[] => list.flatMap((f) => [f, ...flat(f.children ?? [])]);

interface LsnsNs {
  ns: number;
  nprocs: number;
  children?: LsnsNs[];
}
const flatNs = (list: LsnsNs[]): LsnsNs[] => list.flatMap((n) => [n, ...flatNs(n.children ?? [])]);

function optFields(p: Snapshot['namespaces'][0]['mounts'][0]): string {
  const { shared, master, propagateFrom, unbindable } = p.propagation;
  return [shared !== null && `shared:${shared}`, master !== null && `master:${master}`, propagateFrom !== null && `propagate_from:${propagateFrom}`, unbindable && 'unbindable', ...p.otherFields]
    .filter(Boolean)
    .join(' ');
}

describeRoot('cross-check with findmnt and lsns', () => {
  for (const scenario of ['leak', 'peers', 'slave', 'proc', 'hostile']) {
    it(`${scenario}: every lab namespace matches findmnt -N and lsns`, async () => {
      const lab = await startLab(scenario);
      try {
        const pids: number[] = Object.values(lab.info as Record<string, unknown>)
          .filter((v): v is { pid: number } => typeof v === 'object' && v !== null && 'pid' in v)
          .map((v) => v.pid);
        expect(pids.length).toBeGreaterThan(0);
        for (const pid of pids) {
          const [ours, theirs] = await Promise.all([runCli(['--json', '--pid', String(pid)]), run('findmnt', ['-J', '-N', String(pid), '-o', 'ID,PARENT,TARGET,FSTYPE,FSROOT,OPT-FIELDS'])]);
          const snap = JSON.parse(ours.stdout) as Snapshot;
          const mine = snap.namespaces[0].mounts.map((m) => ({ id: m.id, parent: m.parent, target: m.target, fstype: m.fstype, fsroot: m.root, opt: optFields(m) }));
          const util = flat((JSON.parse(theirs) as { filesystems: FindmntFs[] }).filesystems).map((f) => ({
            id: f.id,
            parent: f.parent,
            target: f.target,
            fstype: f.fstype,
            fsroot: f.fsroot,
            opt: f['opt-fields'] ?? '',
          }));
          const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
          expect(mine.sort(byId), `pid ${pid}`).toEqual(util.sort(byId));
        }
        const [ours, lsns] = await Promise.all([runCli(['--json']), run('lsns', ['-J', '-t', 'mnt'])]);
        const snap = JSON.parse(ours.stdout) as Snapshot;
        const counts = new Map(flatNs((JSON.parse(lsns) as { namespaces: LsnsNs[] }).namespaces).map((n) => [n.ns, n.nprocs]));
        const labNs = new Set(pids.map((p) => snap.namespaces.find((n) => n.processes.some((q) => q.pid === p))!.inode));
        for (const inode of labNs) {
          expect(snap.namespaces.find((n) => n.inode === inode)!.processes.length, `ns ${inode}`).toBe(counts.get(inode));
        }
      } finally {
        await lab.stop();
      }
    });
  }
});

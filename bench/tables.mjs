// Benchmark: one namespace's mount table by mountinfo or by listmount + statmount
// (bench/tables.c, built on the spot), in the cases #16 asks about:
//   slave copies  — `scale --propagation slave`: each namespace a slave copy of the lab's
//   peers         — `scale --propagation shared`: every mount in a peer group of N+1 members
//   slave of peers — a slave namespace made from one of those peers: every mount's master
//                   group has N+1 members in other namespaces, the O(mounts × peers) walk
//                   systemd PR #43318 measured (the kernel does it for propagate_from).
//   node bench/tables.mjs [--namespaces 100] [--mounts 1000] [--runs 5]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { REPO, SHARED, flag, median, startLab } from './lib.mjs';

const namespaces = flag('namespaces', 100);
const mounts = flag('mounts', 1000);
const runs = flag('runs', 5);

const binDir = mkdtempSync(`${tmpdir()}/mntns-tables.`);
const bin = `${binDir}/tables`;
const cc = spawnSync('cc', ['-O2', '-o', bin, `${REPO}/bench/tables.c`], { encoding: 'utf8' });
if (cc.status !== 0) {
  console.log(`tables benchmark: no C compiler, skipped (${cc.stderr ?? ''})`);
  process.exit(0);
}

/** Median ms of each way over `runs` reads of `pid`'s table. */
function measure(pid) {
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(bin, [String(pid)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tables ${pid}: ${r.stderr}`);
    rows.push(JSON.parse(r.stdout));
  }
  const m = (k) => median(rows.map((x) => x[k]));
  return { lines: rows[0].lines, mountinfo: m('mountinfoMs'), statmount: m('statmountMs'), bare: m('statmountNoPropagateFromMs') };
}

const results = [];
console.log(`tables benchmark: ${namespaces} namespaces × ${mounts} mounts (setup takes a while)`);
for (const propagation of ['slave', 'shared']) {
  const lab = await startLab(`${SHARED}/lab/scale`, ['--namespaces', String(namespaces), '--mounts', String(mounts), '--procs', '0', '--propagation', propagation]);
  try {
    const pid = lab.info.namespaces[1].pid;
    results.push({ case: propagation === 'slave' ? 'slave copies' : `peers (${namespaces} + 1 per group)`, ...measure(pid) });
    if (propagation === 'shared') {
      // A slave of the peers, in the lab (nsenter into one of its namespaces, then unshare).
      const s = spawn('nsenter', ['-t', String(pid), '-m', '--', 'unshare', '--mount', '--propagation', 'slave', '--', 'sleep', '600'], { stdio: 'ignore' });
      try {
        const own = spawnSync('readlink', [`/proc/${pid}/ns/mnt`], { encoding: 'utf8' }).stdout;
        for (let i = 0; i < 100 && spawnSync('readlink', [`/proc/${s.pid}/ns/mnt`], { encoding: 'utf8' }).stdout === own; i++) await new Promise((r) => setTimeout(r, 20));
        results.push({ case: 'slave of those peers', ...measure(s.pid) });
      } finally {
        s.kill('SIGKILL');
      }
    }
  } finally {
    await lab.stop();
  }
}
rmSync(binDir, { recursive: true, force: true });
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('case', 30)}${pad('mounts', 8)}${pad('mountinfo', 12)}${pad('statmount', 12)}${pad('statmount w/o propagate_from', 30)}faster`);
for (const r of results) {
  const best = r.mountinfo <= r.statmount ? `mountinfo ×${(r.statmount / r.mountinfo).toFixed(1)}` : `statmount ×${(r.mountinfo / r.statmount).toFixed(1)}`;
  console.log(`${pad(r.case, 30)}${pad(r.lines, 8)}${pad(`${r.mountinfo.toFixed(2)} ms`, 12)}${pad(`${r.statmount.toFixed(2)} ms`, 12)}${pad(`${r.bare.toFixed(2)} ms`, 30)}${best}`);
}
console.log('(mntns shows propagate_from, which only mountinfo has right across namespaces: it reads mountinfo in every case)');

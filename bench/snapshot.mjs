// Benchmark: a full `mntns --json` against `lsns -t mnt -J` plus `findmnt -J -N PID`
// for every namespace, and against the native limit (bench/native.c, built on the
// spot: the least reading a snapshot needs), on the same lab load, in the same run.
//   node bench/snapshot.mjs [--namespaces 100] [--mounts 1000] [--procs 10000] [--runs 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CLI, REPO, SHARED, flag, median, startLab, timeCmd } from './lib.mjs';
import { firstFrame } from './first-frame.mjs';

const namespaces = flag('namespaces', 100);
const mounts = flag('mounts', 1000);
const procs = flag('procs', 10000);
const runs = flag('runs', 3);

console.log(`snapshot benchmark: ${namespaces} namespaces, ${mounts} mounts each, ${procs} processes (setup takes a while)`);
const lab = await startLab(`${SHARED}/lab/scale`, ['--namespaces', String(namespaces), '--mounts', String(mounts), '--procs', String(procs)]);
const binDir = mkdtempSync(`${tmpdir()}/mntns-native.`);
const native = `${binDir}/native`;
const cc = spawnSync('cc', ['-O2', '-o', native, `${REPO}/bench/native.c`], { encoding: 'utf8' });
if (cc.status !== 0) console.log(`(no C compiler: no native limit) ${cc.stderr ?? ''}`);
try {
  const ours = [];
  const theirs = [];
  const limit = [];
  const rss = [];
  let nsCount = 0;
  // Timed runs write to /dev/null, both sides: a pipe back to this process would
  // time this process's reading and decoding of the output too (42 MB of JSON
  // at 100 namespaces, read on the second core while mntns uses both).
  const quiet = { stdio: ['ignore', 'ignore', 'pipe'] };
  nsCount = JSON.parse(timeCmd(process.execPath, [CLI, '--json']).stdout).namespaces.length;
  for (let i = 0; i < runs; i++) {
    const r = timeCmd(process.execPath, ['--import', new URL('./rss-reporter.mjs', import.meta.url).href, CLI, '--json'], quiet);
    ours.push(r.ms);
    rss.push(Number(/MNTNS_MAXRSS_KB=(\d+)/.exec(r.stderr)[1]) / 1024);
    // util-linux: the namespaces, then each one's mount table, as a user would script it.
    const t0 = performance.now();
    const lsns = JSON.parse(timeCmd('lsns', ['-t', 'mnt', '-J', '-o', 'NS,PID']).stdout);
    const flatten = (l) => l.flatMap((n) => [n, ...flatten(n.children ?? [])]);
    for (const n of flatten(lsns.namespaces)) timeCmd('findmnt', ['-J', '-N', String(n.pid)], quiet);
    theirs.push(performance.now() - t0);
    if (cc.status === 0) limit.push(timeCmd(native, [], quiet).ms);
  }
  const o = median(ours);
  const t = median(theirs);
  console.log(`namespaces seen by mntns: ${nsCount}`);
  console.log(`mntns --json                    median ${o.toFixed(0)} ms  (runs: ${ours.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`lsns -J + findmnt -J -N per ns  median ${t.toFixed(0)} ms  (runs: ${theirs.map((x) => x.toFixed(0)).join(', ')})`);
  if (limit.length) console.log(`native limit (C)                median ${median(limit).toFixed(0)} ms  (runs: ${limit.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`ratio mntns / util-linux: ${(o / t).toFixed(2)}   (target <= 0.3)`);
  if (limit.length) console.log(`ratio mntns / native limit: ${(o / median(limit)).toFixed(1)}   (target <= 3)`);
  console.log(`mntns peak RSS: ${Math.max(...rss).toFixed(0)} MB   (target <= 120 MB)`);
  // The TUI on the same load: its first frame, the namespaces, every mount.
  const frames = [];
  for (let i = 0; i < runs; i++) frames.push(await firstFrame());
  const f = (k) => median(frames.map((r) => r[k] ?? NaN));
  console.log(
    `TUI: first frame ${f('anyMs').toFixed(0)} ms, namespaces drawn ${f('namespacesMs').toFixed(0)} ms (target <= 1000), every mount ${f('dataMs').toFixed(0)} ms; RSS ${f('rssMb').toFixed(0)} MB`,
  );
} finally {
  await lab.stop();
  rmSync(binDir, { recursive: true, force: true });
}

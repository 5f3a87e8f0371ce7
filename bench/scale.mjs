// Benchmark at scale: 500 namespaces holding 20,000 processes, plus one namespace
// with 50,000 mounts (two ../shared/lab/scale labs side by side). Reports, in one run:
// - snapshot: `mntns --json` wall time and peak RSS, next to `lsns -t mnt -J`;
//   `mntns --tree --pid` of the 50,000-mount namespace next to `findmnt -N PID`;
// - TUI: time to the first full frame, keypress → frame p50/p95 in the big
//   namespace, RSS after a while;
// - watch: time to "watching", one mount's latency in the big namespace, RSS.
//   node bench/scale.mjs [--namespaces 500] [--procs 20000] [--mounts 50000]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { spawn as ptySpawn } from 'node-pty';
import { CLI, SHARED, flag, median, pct, startLab, timeCmd } from './lib.mjs';

const NS = flag('namespaces', 500);
const PROCS = flag('procs', 20000);
const MOUNTS = flag('mounts', 50000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const peakOf = (stderr) => Number(/MNTNS_MAXRSS_KB=(\d+)/.exec(stderr)[1]) / 1024;
const RSS = ['--import', new URL('./rss-reporter.mjs', import.meta.url).href];

console.log(`scale benchmark: ${NS} namespaces with ${PROCS} processes, and one namespace with ${MOUNTS} mounts (setup takes minutes)`);
let t = performance.now();
const many = await startLab(`${SHARED}/lab/scale`, ['--namespaces', String(NS), '--mounts', '20', '--procs', String(PROCS)]);
const big = await startLab(`${SHARED}/lab/scale`, ['--namespaces', '1', '--mounts', String(MOUNTS), '--procs', '2']);
const bigPid = big.info.namespaces[0].pid;
console.log(`  setup ${((performance.now() - t) / 1000).toFixed(0)} s`);
try {
  // Snapshot.
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const r = timeCmd(process.execPath, [...RSS, CLI, '--json']);
    const doc = JSON.parse(r.stdout);
    runs.push({ ms: r.ms, rss: peakOf(r.stderr), ns: doc.namespaces.length, mounts: doc.namespaces.reduce((a, n) => a + n.mounts.length, 0) });
  }
  const lsns = median([0, 1, 2].map(() => timeCmd('lsns', ['-t', 'mnt', '-J']).ms));
  const tree = median([0, 1, 2].map(() => timeCmd(process.execPath, [CLI, '--tree', '--pid', String(bigPid)]).ms));
  const findmnt = median([0, 1, 2].map(() => timeCmd('findmnt', ['-N', String(bigPid)]).ms));
  console.log(`snapshot (${runs[0].ns} namespaces, ${runs[0].mounts} mounts in all)`);
  console.log(`  mntns --json            median ${median(runs.map((r) => r.ms)).toFixed(0)} ms, peak RSS ${Math.max(...runs.map((r) => r.rss)).toFixed(0)} MB`);
  console.log(`  lsns -t mnt -J          median ${lsns.toFixed(0)} ms   (namespaces and processes only, no mount tables)`);
  console.log(`  mntns --tree --pid BIG  median ${tree.toFixed(0)} ms   vs findmnt -N BIG median ${findmnt.toFixed(0)} ms (ratio ${(tree / findmnt).toFixed(2)})`);

  // TUI.
  const env = { ...process.env, TERM: 'xterm-256color' };
  delete env.CI;
  t = performance.now();
  const tui = ptySpawn(process.execPath, [CLI, '--pid', String(bigPid)], { name: 'xterm-256color', cols: 160, rows: 50, env });
  let buf = '';
  let waiter = null;
  tui.onData((d) => {
    buf += d;
    if (buf.length > 1 << 20) buf = buf.slice(-4096);
    if (waiter && buf.includes('\x1b[?2026l')) {
      const w = waiter;
      waiter = null;
      w();
    }
  });
  for (let i = 0; i < 1200 && !/refreshed \d/.test(buf); i++) await sleep(50);
  const firstFrame = performance.now() - t;
  // A key that changes nothing draws no frame: give up on it after 5 s and say so.
  let noFrame = 0;
  const frame = (keys) => new Promise((res) => {
    buf = '';
    const t0 = performance.now();
    const give = setTimeout(() => { waiter = null; noFrame++; res(null); }, 5000);
    waiter = () => { clearTimeout(give); res(performance.now() - t0); };
    tui.write(keys);
  });
  await sleep(500);
  await frame('\t'); // the mount pane of the big namespace (--pid selected it)
  const lat = [];
  for (let i = 0; i < 60; i++) {
    const ms = await frame(i % 10 === 9 ? '\x1b[6~' : i % 2 ? 'k' : 'j');
    if (ms !== null) lat.push(ms);
  }
  await sleep(2000);
  const tuiRss = rssMb(tui.pid);
  tui.write('q');
  await sleep(1500);
  tui.kill();
  console.log('TUI');
  console.log(`  first frame with data   ${(firstFrame / 1000).toFixed(1)} s`);
  console.log(`  key → frame             p50 ${pct(lat, 50).toFixed(0)} ms  p95 ${pct(lat, 95).toFixed(0)} ms (${lat.length} of 60 keys in the ${MOUNTS}-mount namespace; ${noFrame} drew nothing)`);
  console.log(`  RSS                     ${tuiRss.toFixed(0)} MB`);

  // watch.
  t = performance.now();
  const w = spawn(process.execPath, [CLI, 'watch', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  w.stdout.on('data', (d) => (out += d));
  await new Promise((r) => w.stderr.on('data', (d) => String(d).includes('watching') && r()));
  const ready = performance.now() - t;
  await sleep(2000);
  // One mount in the big namespace (nsenter: the lab's namespace, not ours).
  const target = `${big.info.lab}/watch-probe`;
  const t0 = performance.now();
  const m = spawn('nsenter', ['-t', String(bigPid), '-m', '--', 'sh', '-c', 'mkdir -p -- "$1" && mount -t tmpfs probe -- "$1"', 'sh', target], { stdio: 'inherit' });
  await new Promise((r) => m.once('exit', r));
  let seenAfter = null;
  for (let i = 0; i < 2000 && seenAfter === null; i++) {
    if (out.includes(`"target":${JSON.stringify(target)}`)) seenAfter = performance.now() - t0;
    else await sleep(5);
  }
  const watchRss = rssMb(w.pid);
  w.kill('SIGTERM');
  console.log('watch');
  console.log(`  ready ("watching")      ${(ready / 1000).toFixed(1)} s`);
  console.log(`  a mount in the ${MOUNTS}-mount namespace → event: ${seenAfter === null ? 'not seen' : `${seenAfter.toFixed(0)} ms (incl. nsenter + mount)`}`);
  console.log(`  RSS                     ${watchRss.toFixed(0)} MB`);
} finally {
  await big.stop();
  await many.stop();
}

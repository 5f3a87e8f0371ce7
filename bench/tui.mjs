// Benchmark: keypress → redraw latency of the TUI on a namespace with 50,000
// mounts (../shared/lab/scale --mounts 50000 --namespaces 1), through a real pty.
// A frame ends with Ink's synchronized-update close (ESC[?2026l): we time from the
// key write to that.   node bench/tui.mjs [--mounts 50000] [--keys 200]
import { spawn } from 'node-pty';
import { CLI, SHARED, flag, pct, startLab } from './lib.mjs';

const mounts = flag('mounts', 50000);
const keys = flag('keys', 200);
console.log(`TUI benchmark: one namespace with ${mounts} mounts, ${keys} keypresses (setup takes a while)`);
const lab = await startLab(`${SHARED}/lab/scale`, ['--namespaces', '1', '--mounts', String(mounts), '--procs', '2']);
const env = { ...process.env, TERM: 'xterm-256color' };
delete env.CI;
const pty = spawn(process.execPath, [...(process.env.MNTNS_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.MNTNS_BENCH_PROF] : []), CLI, '--pid', String(lab.info.namespaces[0].pid)], {
  name: 'xterm-256color',
  cols: 160,
  rows: 50,
  env,
});
let buf = '';
let waiter = null;
pty.onData((d) => {
  buf += d;
  if (waiter && buf.includes('\x1b[?2026l')) {
    const w = waiter;
    waiter = null;
    w();
  }
});
const frame = (write) =>
  new Promise((res) => {
    buf = '';
    const t0 = performance.now();
    waiter = () => res(performance.now() - t0);
    pty.write(write);
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
try {
  // Wait for the whole snapshot: the status bar shows the mount count once the
  // table is read (the preview before it says 0 mounts; keys pressed then wait for the read).
  const read = () => [...buf.matchAll(/(\d+) mounts/g)].some((m) => Number(m[1]) >= mounts);
  for (let i = 0; i < 1200 && !read(); i++) await sleep(100);
  if (!read()) throw new Error('the TUI never showed the whole table');
  await sleep(1000);
  await frame('\t'); // focus the mount pane
  const times = { j: [], k: [], pgdn: [], G: [] };
  for (let i = 0; i < keys; i++) {
    const k = i % 10 === 9 ? 'pgdn' : i % 2 ? 'k' : 'j';
    times[k].push(await frame(k === 'pgdn' ? '\x1b[6~' : k));
    await sleep(5);
  }
  for (let i = 0; i < 10; i++) {
    times.G.push(await frame(i % 2 ? 'g' : 'G'));
    await sleep(5);
  }
  const all = Object.values(times).flat();
  const f = (xs) => `p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms  (n=${xs.length})`;
  for (const [k, xs] of Object.entries(times)) console.log(`  ${k.padEnd(5)} ${f(xs)}`);
  console.log(`keypress → redraw, all keys: ${f(all)}  p99 ${pct(all, 99).toFixed(1)} ms   (target: p95 <= 25 ms, p99 <= 40 ms)`);
  pty.write('q');
  await sleep(500);
} finally {
  pty.kill();
  await lab.stop();
}

// The TUI's first frame on this host, through a pty: time to the first frame
// drawn, to the first with the namespaces in it (their processes read, the
// mount tables maybe still being read), and to the first with the whole
// snapshot ("refreshed" in the status bar); RSS after it settles.
//   node bench/first-frame.mjs [--runs 3]
import { readFileSync } from 'node:fs';
import { spawn as ptySpawn } from 'node-pty';
import { CLI, flag, median } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One start of the TUI: { anyMs, namespacesMs, dataMs, rssMb }. */
export async function firstFrame(args = []) {
  const env = { ...process.env, TERM: 'xterm-256color' };
  delete env.CI;
  const t = performance.now();
  const tui = ptySpawn(process.execPath, [CLI, ...args], { name: 'xterm-256color', cols: 160, rows: 50, env });
  let buf = '';
  let anyMs = null;
  let namespacesMs = null;
  tui.onData((d) => {
    if (anyMs === null && d.includes('\x1b[?2026l')) anyMs = performance.now() - t;
    buf = (buf + d).slice(-65536);
    if (namespacesMs === null && / namespaces · \d+ processes/.test(buf)) namespacesMs = performance.now() - t;
  });
  try {
    for (let i = 0; i < 1200 && !/refreshed \d/.test(buf); i++) await sleep(10);
    const dataMs = performance.now() - t;
    await sleep(1500);
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${tui.pid}/status`, 'utf8'))[1]) / 1024;
    tui.write('q');
    for (let i = 0; i < 100 && !/\? *$|y\/n|quit/i.test(buf.slice(-2000)); i++) await sleep(10);
    return { anyMs, namespacesMs, dataMs, rssMb };
  } finally {
    tui.kill('SIGKILL');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = [];
  for (let i = 0; i < flag('runs', 3); i++) runs.push(await firstFrame());
  const f = (k) => median(runs.map((r) => r[k] ?? NaN));
  console.log(
    `TUI first frame ${f('anyMs').toFixed(0)} ms, with the namespaces ${f('namespacesMs').toFixed(0)} ms, with every mount ${f('dataMs').toFixed(0)} ms; RSS ${f('rssMb').toFixed(0)} MB` +
      `  (runs: ${runs.map((r) => [r.anyMs, r.namespacesMs, r.dataMs].map((x) => x?.toFixed(0)).join('/')).join(', ')})`,
  );
}

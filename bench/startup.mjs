// Start-up of the commands that should cost next to nothing, against `node -e 0`
// in the same run: `mntns --version`, `--help`, `npm start`'s build step when
// nothing changed (it compiles only when a source is newer than the last build),
// and loading the TUI's view (one bundled file: Ink, React and ours).
//   node bench/startup.mjs [--runs 20]
import { spawnSync } from 'node:child_process';
import { CLI, REPO, flag, pct } from './lib.mjs';

const RUNS = flag('runs', 20);
const time = (argv) => {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', cwd: REPO });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
    ms.push(performance.now() - t);
  }
  return pct(ms, 50);
};
spawnSync(process.execPath, [`${REPO}/scripts/build-if-stale.mjs`], { stdio: 'inherit' }); // built once, if stale
const base = time([process.execPath, '-e', '0']);
const rows = [
  ['mntns --version', time([process.execPath, CLI, '--version'])],
  ['mntns --help', time([process.execPath, CLI, '--help'])],
  ["npm start's build step, nothing changed", time([process.execPath, `${REPO}/scripts/build-if-stale.mjs`])],
  ["the TUI's view loaded (Ink, React, ours)", time([process.execPath, '--input-type=module', '-e', `await import(${JSON.stringify(`${REPO}/dist/ui/render-app.js`)})`])],
];
console.log(`start-up, median of ${RUNS} runs: node -e 0 ${base.toFixed(1)} ms`);
for (const [what, ms] of rows) console.log(`  ${what.padEnd(42)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / base).toFixed(2)}× node -e 0`);
console.log('  target: --version and --help <= 1.5× node -e 0');

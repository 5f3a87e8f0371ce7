// `npm run bench`: every benchmark in sequence; flags pass through (e.g. --procs 2000).
import { spawnSync } from 'node:child_process';
const scripts = ['snapshot.mjs', 'tui.mjs', 'watch.mjs', 'scale.mjs'];
for (const s of scripts) {
  const r = spawnSync(process.execPath, [new URL(s, import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

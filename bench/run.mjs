// `npm run bench`: every benchmark in sequence; flags pass through (e.g. --procs 2000).
import { spawnSync } from 'node:child_process';
const scripts = ['startup.mjs', 'snapshot.mjs', 'tables.mjs', 'tui.mjs', 'watch.mjs', 'scale.mjs', 'journal.mjs'];
for (const s of scripts) {
  // The journal's figure is heap after a full GC.
  const node = s === 'journal.mjs' ? ['--expose-gc'] : [];
  const r = spawnSync(process.execPath, [...node, new URL(s, import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

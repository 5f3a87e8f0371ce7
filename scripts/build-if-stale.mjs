// The build: runs tsc and notes when. `npm start` runs it without --force, so it
// compiles only when a source (or the compiler's config, or package.json) is
// newer than the last build: an unchanged tree starts at once instead of after
// a full compile (8.5 s here). `npm run build` (and so `npm test`) passes --force;
// `npm pack` (prepack) adds --clean: dist/ from nothing, so no file of a module
// since removed goes into the package.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const STAMP = join(root, 'dist', '.built');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

let built = 0;
try {
  built = statSync(STAMP).mtimeMs;
} catch {
  // never built
}
const sources = Math.max(newest(join(root, 'src')), ...['tsconfig.json', 'package.json', 'package-lock.json'].map((f) => statSync(join(root, f)).mtimeMs));
if (process.argv.includes('--force') || sources >= built) {
  if (process.argv.includes('--clean')) rmSync(join(root, 'dist'), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // The view — Ink, React and ours — as one file: Ink's import alone reads some
  // 600 modules (416 of them es-toolkit's, for one throttle) in 367 ms; bundled,
  // the import takes 100 ms (node bench/startup.mjs), while the reader threads
  // already read /proc at the TUI's start. The other modules stay as tsc wrote them.
  const view = join(root, 'dist', 'ui', 'render-app.js');
  const { build } = await import('esbuild');
  // Ink's per-frame measurements kept between frames (scripts/ink-frame-caches.mjs):
  // the Output its renderer draws with and its `widest-line`, swapped for the cached ones.
  const caches = JSON.stringify(join(root, 'scripts', 'ink-frame-caches.mjs'));
  const inkFrameCaches = {
    name: 'ink-frame-caches',
    setup(b) {
      b.onResolve({ filter: /^\.\/output\.js$/ }, (a) => (a.importer.endsWith('/ink/build/renderer.js') ? { path: 'Output', namespace: 'ink-frame-caches' } : undefined));
      b.onResolve({ filter: /^widest-line$/ }, (a) => (a.importer.includes('/ink/build/') ? { path: 'widestLine', namespace: 'ink-frame-caches' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'ink-frame-caches' }, (a) => ({ contents: `export { ${a.path} as default } from ${caches};`, resolveDir: root }));
    },
  };
  try {
    await build({
      entryPoints: [view],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: view,
      allowOverwrite: true,
      sourcemap: true,
      alias: { 'react-devtools-core': join(root, 'scripts/no-devtools.mjs') },
      // CommonJS inside (React) requires Node's own modules.
      banner: { js: "import { createRequire as __mntnsRequire } from 'node:module'; const require = __mntnsRequire(import.meta.url);" },
      logLevel: 'warning',
      plugins: [inkFrameCaches],
    });
  } catch {
    process.exit(1);
  }
  // mntns(1) and the completions, from the built description of the command
  // line (src/cli-spec.ts): shipped in the package, never out of step with --help.
  const { manPage } = await import(join(root, 'dist', 'man-page.js'));
  const { completionScript } = await import(join(root, 'dist', 'completions.js'));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  mkdirSync(join(root, 'dist', 'man'), { recursive: true });
  writeFileSync(join(root, 'dist', 'man', 'mntns.1'), manPage(version));
  mkdirSync(join(root, 'dist', 'completions'), { recursive: true });
  for (const [shell, file] of [
    ['bash', 'mntns'],
    ['zsh', '_mntns'],
    ['fish', 'mntns.fish'],
  ])
    writeFileSync(join(root, 'dist', 'completions', file), completionScript(shell));
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

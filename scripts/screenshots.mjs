// `npm run screenshots`: PNG images of the real TUI on lab scenarios. mntns runs on
// a pty, a headless xterm interprets its output, and the cell grid is drawn as an
// SVG (monospace cells, textLength locks glyphs to the grid) rendered by resvg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node-pty';
import { spawnSync } from 'node:child_process';
import xterm from '@xterm/headless';
import { Resvg } from '@resvg/resvg-js';
import { CLI, REPO, SHARED, startLab } from '../bench/lib.mjs';

const COLS = 120;
const ROWS = 36;
const CW = 9;
const CH = 19;
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const FONT_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf';
// xterm's default 16-colour palette, a little softened for a dark background.
const PALETTE = ['#1e1e1e', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#d0d0d0', '#5c6370', '#ff7b86', '#b5e890', '#ffd68a', '#8cc8ff', '#e0a0ff', '#7fdbe6', '#ffffff'];
const BG = '#1e1e1e';
const FG = '#d0d0d0';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function colour(cell, fg) {
  const isDefault = fg ? cell.isFgDefault() : cell.isBgDefault();
  if (isDefault) return fg ? FG : BG;
  const v = fg ? cell.getFgColor() : cell.getBgColor();
  const palette = fg ? cell.isFgPalette() : cell.isBgPalette();
  if (palette) return v < 16 ? PALETTE[v] : FG;
  return `#${v.toString(16).padStart(6, '0')}`;
}

function toSvg(term) {
  const buf = term.buffer.active;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${COLS * CW + 20}" height="${ROWS * CH + 20}">`,
    `<rect width="100%" height="100%" fill="${BG}"/>`,
    '<g transform="translate(10,10)" font-family="DejaVu Sans Mono" font-size="15">',
  ];
  for (let y = 0; y < ROWS; y++) {
    const line = buf.getLine(buf.viewportY + y);
    if (!line) continue;
    let x = 0;
    while (x < COLS) {
      const cell = line.getCell(x);
      if (!cell) break;
      let fg = colour(cell, true);
      let bg = colour(cell, false);
      if (cell.isInverse()) [fg, bg] = [bg === BG ? BG : bg, fg];
      if (cell.isInverse() && fg === BG) fg = BG;
      const bold = cell.isBold();
      const dim = cell.isDim();
      // A run of cells with one style.
      let text = '';
      let n = 0;
      const key = `${fg}|${bg}|${bold}|${dim}`;
      while (x + n < COLS) {
        const c = line.getCell(x + n);
        let f2 = colour(c, true);
        let b2 = colour(c, false);
        if (c.isInverse()) [f2, b2] = [b2 === BG ? BG : b2, f2];
        if (`${f2}|${b2}|${c.isBold()}|${c.isDim()}` !== key) break;
        const w = c.getWidth();
        if (w === 0) {
          n++;
          continue;
        }
        text += c.getChars() || ' ';
        n += w;
        if (w === 2) break; // wide glyphs get their own run
      }
      if (bg !== BG) out.push(`<rect x="${x * CW}" y="${y * CH}" width="${n * CW}" height="${CH}" fill="${bg}"/>`);
      if (text.trim()) {
        out.push(
          `<text x="${x * CW}" y="${y * CH + 14}" textLength="${n * CW}" lengthAdjust="spacingAndGlyphs" fill="${fg}"${bold ? ' font-weight="bold"' : ''}${dim ? ' opacity="0.6"' : ''} xml:space="preserve">${esc(text)}</text>`,
        );
      }
      x += Math.max(1, n);
    }
  }
  out.push('</g></svg>');
  return out.join('\n');
}

/** `scenario`: a ../shared/lab scenario to start first, or null (`mntns lab` makes its own). */
async function shot(name, scenario, drive) {
  const lab = scenario ? await startLab(`${SHARED}/lab/scenario`, [scenario]) : { info: {}, stop: async () => {} };
  const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  const env = { ...process.env, TERM: 'xterm-256color' };
  delete env.CI;
  const pty = spawn(process.execPath, [CLI, ...(drive.args?.(lab.info) ?? [])], { name: 'xterm-256color', cols: COLS, rows: ROWS, env });
  pty.onData((d) => term.write(d));
  const screen = () => {
    const b = term.buffer.active;
    let s = '';
    for (let i = 0; i < ROWS; i++) s += (b.getLine(b.viewportY + i)?.translateToString(true) ?? '') + '\n';
    return s;
  };
  try {
    for (let i = 0; i < 150 && !/refreshed \d/.test(screen()); i++) await sleep(100);
    for (const k of drive.before?.(lab.info) ?? []) pty.write(k);
    await sleep(300);
    drive.during?.(lab.info);
    for (const k of drive.keys(lab.info)) {
      pty.write(k);
      await sleep(120);
    }
    await sleep(400);
    await new Promise((r) => term.write('', r));
    const svg = toSvg(term);
    const png = new Resvg(svg, { font: { fontFiles: [FONT, FONT_BOLD], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans Mono' } }).render().asPng();
    writeFileSync(`${REPO}/screenshots/${name}.png`, png);
    console.log(`screenshots/${name}.png`);
  } finally {
    pty.write('q');
    await sleep(200);
    // mntns lab asks nothing on q but takes a moment to take the lab down.
    if (!scenario) await sleep(1500);
    pty.kill();
    await lab.stop();
  }
}

mkdirSync(`${REPO}/screenshots`, { recursive: true });
// The namespace list: the leak scenario's host and container carry "!" (they share a peer group).
await shot('namespaces', 'leak', {
  args: (i) => ['--pid', String(i.host.pid)],
  keys: () => [' ', 'j'],
});
// A mount tree with propagation: peers, the first lab namespace, mount pane focused.
await shot('mount-tree', 'peers', {
  args: (i) => ['--pid', String(i.ns1.pid)],
  keys: (i) => ['\t', '/', ...i.Z, '\r'],
});
// Findings: why the container's mounts leak, in words, with the fix.
await shot('findings', 'leak', {
  args: (i) => ['--pid', String(i.container.pid)],
  keys: () => ['f'],
});
// The event log: mounts made while mntns runs, in both namespaces of a peer group, with who made them.
await shot('event-log', 'peers', {
  args: (i) => ['--pid', String(i.ns1.pid)],
  before: () => ['l'],
  during: (i) => {
    const inNs = (script) => spawnSync('nsenter', ['-t', String(i.ns1.pid), '-m', '--', 'sh', '-c', script], { stdio: 'ignore' });
    inNs(`mkdir -p ${i.X}/data ${i.X}/cache && mount -t tmpfs data ${i.X}/data && mount -t tmpfs -o size=1m cache ${i.X}/cache && umount ${i.X}/cache`);
  },
  keys: () => ['\t', '\t'],
});
// The details of a leaking mount: the container's tmpfs, in one peer group with the host.
await shot('leak-details', 'leak', {
  args: (i) => ['--pid', String(i.container.pid)],
  keys: (i) => ['\t', '/', ...i.mountpoint, '\r', '\r'],
});
// The propagation map on mntns lab: the lab's host and what it shares, sends and receives; one row opened.
const DOWN = '\x1b[B';
await shot('propagation-map', null, {
  args: () => ['lab'],
  keys: () => ['M', DOWN, DOWN, '\r'],
});
// Compare on mntns lab: the leaking container (A) against the lab's host (B).
await shot('compare', null, {
  args: () => ['lab'],
  keys: () => ['j', 'd', 'k', 'd'],
});
// Whole lines on mntns lab: the leaking container's tree unelided (Shift+→), names relative to their parent (t).
await shot('whole-lines', null, {
  args: () => ['lab'],
  keys: () => ['j', '\t', '\x1b[1;2C', 't'],
});

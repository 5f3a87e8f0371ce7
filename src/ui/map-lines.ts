/**
 * The propagation map around one namespace, as lines for the right pane: the
 * namespace in a box, and hanging from it its links — peers (⇄, mounts cross
 * both ways), namespaces it sends to (→, their copies are slaves) and those it
 * receives from (←) — each with how many peer groups and their paths. Links
 * that read the same are one row ("120 namespaces receive from it"); Enter
 * opens a row (its namespaces, then each one's mounts), Enter on a mount goes
 * there, → centres the map on a namespace. Pure; every name sanitised.
 */
import { crossingMounts, foldLinks, foldPaths, linksOf, type Link, type LinkFold, type LinkKind } from '../model/propagation-map.js';
import { sanitize } from '../format/sanitize.js';
import { displayWidth, truncate } from '../format/width.js';
import type { Colour } from '../format/theme.js';
import { labelIn, leadsTo, type Line } from './details.js';
import type { SnapshotIndex } from './view-model.js';

const ARROW: Record<LinkKind, string> = { peer: '⇄', sends: '→', receives: '←' };
const COLOUR: Record<LinkKind, Colour> = { peer: 'yellow', sends: 'magenta', receives: 'cyan' };
const MAX_PATHS = 3;

function pathsText(paths: string[]): string {
  const shown = paths.slice(0, MAX_PATHS).map(sanitize).join(', ');
  return paths.length > MAX_PATHS ? `${shown} and ${paths.length - MAX_PATHS} more` : shown;
}

function groupsText(f: LinkFold): string {
  const n = f.groups.length;
  return `${n} group${n === 1 ? '' : 's'}: ${pathsText(foldPaths(f))}`;
}

/** What a fold says: `peers with mnt:[X] box`, `120 namespaces receive from it (slaves)`. */
function foldWords(index: SnapshotIndex, f: LinkFold): string {
  const one = f.links.length === 1 ? labelIn(index, f.links[0].ns) : null;
  const many = `${f.links.length} namespaces`;
  if (f.kind === 'peer') return `peers with ${one ?? many}`;
  if (f.kind === 'sends') return one ? `sends to ${one} (a slave there)` : `${many} receive from it (slaves)`;
  return `receives from ${one ?? many}`;
}

/** A link's mounts: this namespace's mount, the arrow, the one there; Enter goes there. */
function mountLines(index: SnapshotIndex, l: Link, indent: string): Line[] {
  return l.mounts.map((m, i) =>
    leadsTo(
      [
        { text: `${indent}${i === l.mounts.length - 1 ? '└' : '├'} `, dim: true },
        { text: sanitize(m.here.target) },
        { text: ` ${ARROW[l.kind]} `, colour: COLOUR[l.kind] },
        { text: `${labelIn(index, m.there.ns)} ${sanitize(m.there.target)}` },
        { text: `  (mount ${m.there.mount}, group ${m.group})`, dim: true },
      ],
      { ns: m.there.ns, mount: m.there.mount },
    ),
  );
}

/** The box around the centre namespace: its label and what it holds. */
function centreBox(index: SnapshotIndex, centre: number, width: number): Line[] {
  const ns = index.byInode.get(centre);
  const n = (k: number, one: string, many = `${one}s`): string => `${k} ${k === 1 ? one : many}`;
  const warnings = ns?.findings.filter((f) => f.severity === 'warning').length ?? 0;
  const rows = [
    labelIn(index, centre),
    ns
      ? [ns.initial ? 'initial' : '', n(ns.processes.length, 'process', 'processes'), n(ns.mounts.length, 'mount'), warnings ? n(warnings, 'warning') : ''].filter(Boolean).join(' · ')
      : 'not in this snapshot',
  ];
  const inner = Math.max(10, Math.min(width - 4, Math.max(...rows.map(displayWidth))));
  const pad = (s: string): string => {
    const t = truncate(s, inner);
    return t + ' '.repeat(Math.max(0, inner - displayWidth(t)));
  };
  return [
    [{ text: `┌${'─'.repeat(inner + 2)}┐` }],
    [{ text: '│ ' }, { text: pad(rows[0]), bold: true }, { text: ' │' }],
    [{ text: '│ ' }, { text: pad(rows[1]), dim: true }, { text: ' │' }],
    [{ text: `└─┬${'─'.repeat(inner)}┘` }],
  ];
}

/**
 * The map's lines for `centre`. `open`: the keys of the rows opened with Enter
 * (a fold: `fold:KIND:GROUPS`, a link in it: `link:KIND:NS`).
 */
export function mapLines(index: SnapshotIndex, centre: number, open: ReadonlySet<string>, width: number): Line[] {
  const links = linksOf(index.propagation, centre);
  const folds = foldLinks(links);
  const neighbours = new Set(links.map((l) => l.ns)).size;
  const lines: Line[] = [
    [{ text: `${neighbours} namespace${neighbours === 1 ? '' : 's'} linked to this one, of ${index.byInode.size}`, bold: true }],
    [{ text: '  Enter opens a row or goes to a mount · → centres on a namespace · ← back', dim: true }],
    [],
    ...centreBox(index, centre, width),
  ];
  if (folds.length === 0) lines.push([{ text: '  └ no peer group is shared with another namespace: nothing propagates in or out', colour: 'green' }]);
  folds.forEach((f, i) => {
    const last = i === folds.length - 1;
    const key = `fold:${f.kind}:${f.groups.join(',')}`;
    const single = f.links.length === 1;
    lines.push(
      leadsTo(
        [
          { text: `  ${last ? '└' : '├'}─${ARROW[f.kind]}─ `, colour: COLOUR[f.kind], bold: true },
          { text: foldWords(index, f), colour: COLOUR[f.kind] },
          { text: ` · ${groupsText(f)}`, dim: true },
          { text: open.has(key) ? '' : '  ▸', dim: true },
        ],
        single ? { open: key, ns: f.links[0].ns } : { open: key },
      ),
    );
    if (!open.has(key)) return;
    const indent = `  ${last ? ' ' : '│'}    `;
    if (single) {
      lines.push(...mountLines(index, f.links[0], indent));
      return;
    }
    f.links.forEach((l, j) => {
      const lk = `link:${l.kind}:${l.ns}`;
      const end = j === f.links.length - 1;
      lines.push(leadsTo([{ text: `${indent}${end ? '└' : '├'} `, dim: true }, { text: labelIn(index, l.ns) }, { text: open.has(lk) ? '' : '  ▸', dim: true }], { open: lk, ns: l.ns }));
      if (open.has(lk)) lines.push(...mountLines(index, l, `${indent}${end ? ' ' : '│'}  `));
    });
  });
  lines.push(...elsewhere(index, centre, new Set(links.map((l) => l.ns))));
  return lines;
}

/** Rows of the rest of the map at most (a busy host has hundreds of namespaces). */
const ELSEWHERE_ROWS = 50;

/**
 * After the neighbourhood, the rest of the map: each namespace not linked to
 * the centre whose mounts cross to others, with how many (→ centres on it).
 */
function elsewhere(index: SnapshotIndex, centre: number, near: ReadonlySet<number>): Line[] {
  const crossing = crossingMounts(index.propagation);
  const others: Array<{ ns: number; mounts: number }> = [];
  let alone = 0;
  for (const inode of index.byInode.keys()) {
    if (inode === centre || near.has(inode)) continue;
    const n = crossing.get(inode) ?? 0;
    if (n) others.push({ ns: inode, mounts: n });
    else alone++;
  }
  if (others.length === 0 && alone === 0) return [];
  const lines: Line[] = [[], [{ text: `Elsewhere: ${others.length} other namespace${others.length === 1 ? '' : 's'} linked among themselves, ${alone} linked to none`, bold: true }]];
  for (const o of others.slice(0, ELSEWHERE_ROWS))
    lines.push(leadsTo([{ text: '  ' }, { text: labelIn(index, o.ns) }, { text: ` — ${o.mounts} mount${o.mounts === 1 ? '' : 's'} crossing`, dim: true }], { ns: o.ns }));
  if (others.length > ELSEWHERE_ROWS) lines.push([{ text: `  … and ${others.length - ELSEWHERE_ROWS} more (→ on a namespace centres the map there)`, dim: true }]);
  return lines;
}

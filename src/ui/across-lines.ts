/**
 * The compare view (two namespaces side by side, like diff) and the where view
 * (every namespace with a mount of this filesystem), as lines for the right
 * pane; Enter on a mount goes to it. Pure; every name sanitised.
 */
import { compareMounts } from '../model/compare.js';
import { findEverywhere, type WhereQuery } from '../model/where.js';
import { comparedText, mountSummary } from '../format/mount-change.js';
import { sanitize } from '../format/sanitize.js';
import { holdersText } from '../format/describe.js';
import { labelIn, leadsTo, type Line, type Segment } from './details.js';
import type { SnapshotIndex } from './view-model.js';

function section(title: string, n: number, colour: Segment['colour']): Line {
  return [{ text: `${title} (${n})`, bold: true, colour }];
}

/** Namespace `a` against `b`: counts, then what only one has, then what differs. */
export function compareLines(index: SnapshotIndex, a: number, b: number): Line[] {
  const na = index.byInode.get(a);
  const nb = index.byInode.get(b);
  const lines: Line[] = [
    [{ text: 'A  ', bold: true }, { text: labelIn(index, a) }],
    [{ text: 'B  ', bold: true }, { text: labelIn(index, b) }],
  ];
  if (!na || !nb) return [...lines, [{ text: `${labelIn(index, na ? b : a)} is gone`, colour: 'red' }]];
  const d = compareMounts(na.mounts, nb.mounts);
  lines.push([{ text: `only in A ${d.onlyA.length} · only in B ${d.onlyB.length} · changed ${d.changed.length} · same ${d.same}`, bold: true }], []);
  if (d.onlyA.length) lines.push(section('Only in A', d.onlyA.length, 'red'), ...d.onlyA.map((m) => leadsTo([{ text: '- ', colour: 'red' }, { text: mountSummary(m) }], { ns: a, mount: m.id })), []);
  if (d.onlyB.length)
    lines.push(section('Only in B', d.onlyB.length, 'green'), ...d.onlyB.map((m) => leadsTo([{ text: '+ ', colour: 'green' }, { text: mountSummary(m) }], { ns: b, mount: m.id })), []);
  if (d.changed.length) {
    lines.push(section('On both, different', d.changed.length, 'yellow'));
    for (const c of d.changed) {
      lines.push(leadsTo([{ text: '~ ', colour: 'yellow' }, { text: sanitize(c.target) }], { ns: b, mount: c.b.id }));
      for (const f of c.fields) lines.push([{ text: `    ${f.padEnd(13)}`, dim: true }, { text: `${comparedText(c.a, f)} → ${comparedText(c.b, f)}` }]);
    }
  }
  if (d.onlyA.length + d.onlyB.length + d.changed.length === 0) lines.push([{ text: 'The same mounts, sources, options and propagation (ids aside).', colour: 'green' }]);
  return lines;
}

/** Every namespace with a mount `q` names, who keeps each, and the mounts; `about` says what `q` is. */
export function whereLines(index: SnapshotIndex, q: WhereQuery, about: string): Line[] {
  const namespaces = [...index.byInode.values()];
  const hits = findEverywhere({ version: 1, time: '', namespaces, peerGroups: [], errors: [] }, q);
  const lines: Line[] = [[{ text: `${sanitize(q.text)}`, bold: true }, { text: ` ${about}: in ${hits.length} namespace${hits.length === 1 ? '' : 's'}` }], []];
  for (const h of hits) {
    lines.push([
      { text: labelIn(index, h.ns.inode), bold: true },
      { text: `${h.ns.initial ? ' (initial)' : ''} — held by ${holdersText(h)}`, dim: true },
    ]);
    for (const { mount } of h.mounts)
      lines.push(leadsTo([{ text: '  ' }, { text: mountSummary(mount) }, { text: mount.hidden ? '  hidden' : '', colour: 'red' }], { ns: h.ns.inode, mount: mount.id }));
  }
  return lines;
}

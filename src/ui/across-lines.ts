/**
 * The compare view (two namespaces side by side, like diff) and the where view
 * (every namespace with a mount of this filesystem), as lines for the right
 * pane; Enter on a mount goes to it. Pure; every name sanitised.
 */
import { compareMounts, type ComparedField } from '../model/compare.js';
import { findEverywhere, type WhereQuery } from '../model/where.js';
import type { Mount } from '../model/types.js';
import { propagationText } from '../format/propagation.js';
import { sanitize } from '../format/sanitize.js';
import { holdersText } from '../format/describe.js';
import { labelIn, leadsTo, type Line, type Segment } from './details.js';
import type { SnapshotIndex } from './view-model.js';

const mountText = (m: Mount): string => sanitize(`${m.target}  ${m.fstype} ${m.source}${m.root === '/' ? '' : `[${m.root}]`}  ${m.options}  `) + propagationText(m.propagation);
const fieldText = (m: Mount, f: ComparedField): string => (f === 'propagation' ? propagationText(m.propagation) : sanitize(m[f]));

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
  if (d.onlyA.length) lines.push(section('Only in A', d.onlyA.length, 'red'), ...d.onlyA.map((m) => leadsTo([{ text: '- ', colour: 'red' }, { text: mountText(m) }], { ns: a, mount: m.id })), []);
  if (d.onlyB.length) lines.push(section('Only in B', d.onlyB.length, 'green'), ...d.onlyB.map((m) => leadsTo([{ text: '+ ', colour: 'green' }, { text: mountText(m) }], { ns: b, mount: m.id })), []);
  if (d.changed.length) {
    lines.push(section('On both, different', d.changed.length, 'yellow'));
    for (const c of d.changed) {
      lines.push(leadsTo([{ text: '~ ', colour: 'yellow' }, { text: sanitize(c.target) }], { ns: b, mount: c.b.id }));
      for (const f of c.fields) lines.push([{ text: `    ${f.padEnd(13)}`, dim: true }, { text: `${fieldText(c.a, f)} → ${fieldText(c.b, f)}` }]);
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
    for (const { mount } of h.mounts) lines.push(leadsTo([{ text: '  ' }, { text: mountText(mount) }, { text: mount.hidden ? '  hidden' : '', colour: 'red' }], { ns: h.ns.inode, mount: mount.id }));
  }
  return lines;
}

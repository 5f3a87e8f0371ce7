/**
 * "What changed since": every mount added, removed or changed in every
 * namespace between the mark (mntns's start, or `m`) and now, as lines for the
 * details pane — with who made a mount, where mntns saw it arrive. Pure.
 */
import { diffMounts, isEmptyDiff } from '../model/diff.js';
import type { Mount, Snapshot } from '../model/types.js';
import { whoWords } from '../format/describe.js';
import { changeWords } from '../format/mount-change.js';
import { propagationText } from '../format/propagation.js';
import { sanitize } from '../format/sanitize.js';
import type { Appearance } from '../store/store.js';
import { labelIn, type Line } from './details.js';
import type { SnapshotIndex } from './view-model.js';

/** Lines per namespace at most: a storm since the mark is summed up, not listed whole. */
export const CHANGES_PER_NS = 200;

const what = (m: Mount): string => sanitize(`${m.target}  ${m.fstype} ${m.source}  ${propagationText(m.propagation)}`);

export function changeLines(mark: { time: Date; snapshot: Snapshot }, now: Snapshot, index: SnapshotIndex, appeared: (inode: number, id: number) => Appearance | undefined): Line[] {
  const then = new Map(mark.snapshot.namespaces.map((n) => [n.inode, n]));
  const lines: Line[] = [
    [
      { text: `Changes since the mark at ${mark.time.toTimeString().slice(0, 8)}`, bold: true },
      { text: '  (m sets it to now)', dim: true },
    ],
    [],
  ];
  let changedNs = 0;
  let newNs = 0;
  const body: Line[] = [];
  for (const ns of now.namespaces) {
    const before = then.get(ns.inode);
    then.delete(ns.inode);
    if (!before) {
      newNs++;
      body.push([
        { text: labelIn(index, ns.inode), bold: true },
        { text: `  new since the mark, ${ns.mounts.length} mounts`, colour: 'cyan' },
      ]);
      continue;
    }
    // A table that could not be read then or now says nothing about what changed.
    if (before.mounts.length === 0 || ns.mounts.length === 0) continue;
    const d = diffMounts(before.mounts, ns.mounts);
    if (isEmptyDiff(d)) continue;
    changedNs++;
    body.push([
      { text: labelIn(index, ns.inode), bold: true },
      { text: `  +${d.added.length} −${d.removed.length} ~${d.changed.length}`, dim: true },
    ]);
    const rows: Line[] = [
      ...d.added.map((m): Line => {
        const seen = appeared(ns.inode, m.id);
        const who = seen?.by ? `  ${seen.time.slice(11, 19)} ${whoWords(seen.by, seen.from)}` : '';
        return [{ text: '  + ', colour: 'green', bold: true }, { text: what(m) }, { text: sanitize(who), colour: 'magenta' }];
      }),
      ...d.removed.map((m): Line => [{ text: '  − ', colour: 'red', bold: true }, { text: what(m) }]),
      ...d.changed.map(({ before: b, after: a }): Line => [
        { text: '  ~ ', colour: 'yellow', bold: true },
        { text: sanitize(a.target) },
        { text: `  ${sanitize(changeWords(b, a) || 'other fields')}`, colour: 'yellow' },
      ]),
    ];
    body.push(...rows.slice(0, CHANGES_PER_NS));
    if (rows.length > CHANGES_PER_NS) body.push([{ text: `  … ${rows.length - CHANGES_PER_NS} more`, dim: true }]);
  }
  for (const gone of then.values())
    body.push([
      { text: labelIn(index, gone.inode), bold: true },
      { text: '  gone since the mark', colour: 'magenta' },
    ]);
  const goneNs = then.size;
  lines.push([{ text: `${changedNs} namespace${changedNs === 1 ? '' : 's'} changed · ${newNs} new · ${goneNs} gone`, dim: true }], []);
  if (body.length === 0) lines.push([{ text: 'Nothing changed since the mark.', dim: true }]);
  return [...lines, ...body];
}

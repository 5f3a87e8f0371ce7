/**
 * `mntns diff` and `mntns where`, as text (like diff(1): `-` only in A, `+`
 * only in B, `~` changed) and as JSON. Every system string is sanitised in
 * the text; the JSON carries it exactly.
 */
import type { MountComparison } from '../model/compare.js';
import type { MountNamespace } from '../model/types.js';
import type { WhereHit, WhereQuery } from '../model/where.js';
import { holdersText, nsLabel } from '../format/describe.js';
import { comparedText, mountSummary } from '../format/mount-change.js';
import { sanitize } from '../format/sanitize.js';

/** One side of a comparison: a namespace, the snapshot file it is from (null: read live) and when. */
export interface CompareSide {
  ns: MountNamespace;
  file: string | null;
  time: string;
}

/** A whole comparison of two snapshots: namespaces matched by inode. */
export interface SnapshotComparison {
  a: { file: string | null; time: string };
  b: { file: string | null; time: string };
  namespaces: Array<{ a: CompareSide; b: CompareSide; diff: MountComparison }>;
  onlyInA: MountNamespace[];
  onlyInB: MountNamespace[];
}

const where = (s: CompareSide): string => `${s.file === null ? 'live' : `from ${sanitize(s.file)}`}, taken ${s.time}`;
const counts = (d: MountComparison): string => `only in A ${d.onlyA.length} · only in B ${d.onlyB.length} · changed ${d.changed.length} · same ${d.same}`;

function comparisonLines(a: CompareSide, b: CompareSide, d: MountComparison): string[] {
  const lines = [`A  ${nsLabel(a.ns, a.ns.inode)} — ${where(a)}`, `B  ${nsLabel(b.ns, b.ns.inode)} — ${where(b)}`, counts(d)];
  for (const m of d.onlyA) lines.push(`- ${mountSummary(m)}`);
  for (const m of d.onlyB) lines.push(`+ ${mountSummary(m)}`);
  for (const c of d.changed) lines.push(`~ ${sanitize(c.target)}  ${c.fields.map((f) => `${f} ${comparedText(c.a, f)} → ${comparedText(c.b, f)}`).join(' · ')}`);
  return lines;
}

/** Two namespaces, as text. */
export function renderComparison(a: CompareSide, b: CompareSide, d: MountComparison): string {
  return comparisonLines(a, b, d).join('\n') + '\n';
}

/** Two snapshots, as text: each namespace both have, then those only one has. */
export function renderSnapshotComparison(c: SnapshotComparison): string {
  const side = (s: SnapshotComparison['a']): string => `${s.file === null ? 'live' : sanitize(s.file)}, taken ${s.time}`;
  const out = [`A  ${side(c.a)}`, `B  ${side(c.b)}`];
  const changed = c.namespaces.filter((n) => n.diff.onlyA.length + n.diff.onlyB.length + n.diff.changed.length > 0);
  out.push(`${c.namespaces.length} namespaces in both (${changed.length} differ) · only in A ${c.onlyInA.length} · only in B ${c.onlyInB.length}`);
  for (const ns of c.onlyInA) out.push(`- ${nsLabel(ns, ns.inode)} (${ns.mounts.length} mounts)`);
  for (const ns of c.onlyInB) out.push(`+ ${nsLabel(ns, ns.inode)} (${ns.mounts.length} mounts)`);
  for (const n of changed)
    out.push(
      '',
      ...comparisonLines(n.a, n.b, n.diff)
        .slice(2)
        .map((l, i) => (i === 0 ? `${nsLabel(n.b.ns, n.b.ns.inode)}: ${l}` : l)),
    );
  return out.join('\n') + '\n';
}

const sideJson = (s: CompareSide) => ({ ns: s.ns.inode, label: nsLabel(s.ns, s.ns.inode), file: s.file, time: s.time });
const diffJson = (d: MountComparison) => ({
  counts: { onlyA: d.onlyA.length, onlyB: d.onlyB.length, changed: d.changed.length, same: d.same },
  onlyA: d.onlyA,
  onlyB: d.onlyB,
  changed: d.changed.map((c) => ({ target: c.target, a: c.a, b: c.b, fields: c.fields })),
});

/** `mntns diff A B --json` of two namespaces. */
export const comparisonJson = (a: CompareSide, b: CompareSide, d: MountComparison): object => ({ a: sideJson(a), b: sideJson(b), ...diffJson(d) });

/** `mntns diff OLD.json NEW.json --json`: per namespace in both, and those in one only. */
export const snapshotComparisonJson = (c: SnapshotComparison): object => ({
  a: c.a,
  b: c.b,
  namespaces: c.namespaces.map((n) => ({ ns: n.a.ns.inode, label: nsLabel(n.b.ns, n.b.ns.inode), ...diffJson(n.diff) })),
  onlyInA: c.onlyInA.map((ns) => ({ ns: ns.inode, label: nsLabel(ns, ns.inode), mounts: ns.mounts.length })),
  onlyInB: c.onlyInB.map((ns) => ({ ns: ns.inode, label: nsLabel(ns, ns.inode), mounts: ns.mounts.length })),
});

/** `mntns where Q`, as text. */
export function renderWhere(q: WhereQuery, hits: WhereHit[]): string {
  const n = hits.length;
  const out = [`${sanitize(q.text)}: ${n === 0 ? 'in no namespace' : `in ${n} namespace${n === 1 ? '' : 's'}`}`];
  for (const h of hits) {
    out.push(`${nsLabel(h.ns, h.ns.inode)}${h.ns.initial ? ' (initial)' : ''} — held by ${holdersText(h)}`);
    for (const { mount, match } of h.mounts) out.push(`  ${mountSummary(mount)}  (${match}${mount.hidden ? ', hidden' : ''})`);
  }
  return out.join('\n') + '\n';
}

/** `mntns where Q --json`. */
export const whereJson = (q: WhereQuery, hits: WhereHit[]): object => ({
  query: q.text,
  kind: q.kind,
  namespaces: hits.map((h) => ({
    ns: h.ns.inode,
    initial: h.ns.initial,
    label: nsLabel(h.ns, h.ns.inode),
    mounts: h.mounts.map(({ mount, match }) => ({ match, ...mount })),
    processes: h.processes.map((p) => ({ pid: p.pid, comm: p.comm, cmdline: p.cmdline })),
    holders: h.holders,
  })),
});

/**
 * The details of one mount as lines of coloured segments: every mountinfo field,
 * its peer group and slaves across namespaces, its master chain, and where
 * mounts made under it propagate. Pure, and every system string sanitised.
 */
import { masterChain, namespacesOf, receivesFrom, sendsTo } from '../model/peer-groups.js';
import type { Mount, MountNamespace, PeerGroupMember } from '../model/types.js';
import { nsLabel, whoWords } from '../format/describe.js';
import type { Appearance } from '../store/store.js';
import { propagationTags } from '../format/propagation.js';
import { sanitize } from '../format/sanitize.js';
import { TAG_COLOUR, type Colour } from '../format/theme.js';
import { displayWidth, splitAt } from '../format/width.js';
import type { SnapshotIndex } from './view-model.js';

export interface Segment {
  text: string;
  colour?: Colour;
  bold?: boolean;
  dim?: boolean;
}
/**
 * Where a selectable line leads (Enter): to a mount in some namespace, or it
 * opens what is folded under it (`open`); `ns` alone is a namespace, which
 * the map can be centred on (→).
 */
export interface Go {
  ns?: number;
  mount?: number;
  open?: string;
}
export type Line = Segment[] & { go?: Go };

/** `line` as a selectable one. */
export const leadsTo = (line: Segment[], go: Go): Line => Object.assign(line, { go });

/**
 * `lines` wrapped to `width` columns by display width — a long path, a long
 * list of namespaces — instead of cut; a continuation keeps the line's indent
 * and its segments' colours; only the first part of a line leads anywhere.
 */
export function wrapLines(lines: Line[], width: number): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    if (displayWidth(line.map((x) => x.text).join('')) <= width) {
      out.push(line);
      continue;
    }
    const indent = ' '.repeat(Math.min(8, /^ */.exec(line[0]?.text ?? '')![0].length + 2));
    let cur: Segment[] = [];
    let used = 0;
    const first = out.length;
    for (const seg of line) {
      let text = seg.text;
      while (text !== '') {
        const room = width - used;
        if (room <= 0) {
          out.push(cur);
          cur = [{ text: indent }];
          used = indent.length;
          continue;
        }
        const [head, tail] = splitAt(text, room);
        // Nothing of a word fits at the end of a line: start the next one with it.
        if (tail !== '' && !text.slice(0, room).includes(' ') && used > indent.length && displayWidth(text) <= width - indent.length) {
          out.push(cur);
          cur = [{ text: indent }];
          used = indent.length;
          continue;
        }
        cur.push({ ...seg, text: head });
        used += displayWidth(head);
        text = tail;
        if (tail !== '') used = width;
      }
    }
    if (cur.length) out.push(cur);
    if (line.go) out[first] = leadsTo(out[first], line.go);
  }
  return out;
}

/** A namespace of the snapshot by its label (format/describe.ts's nsLabel); the bare id without a snapshot. */
export const labelIn = (index: SnapshotIndex | null, inode: number): string => nsLabel(index?.byInode.get(inode), inode);

function field(name: string, value: string, colour?: Colour): Line {
  return [
    { text: `  ${name.padEnd(14)}`, dim: true },
    { text: value, colour },
  ];
}

/** A member or slave of a peer group; but for this mount itself, Enter goes to it in its namespace. */
function memberLine(index: SnapshotIndex, r: PeerGroupMember, self: { ns: number; id: number }): Line {
  const me = r.ns === self.ns && r.mount === self.id;
  const line: Line = [
    { text: me ? '  this ' : '       ', bold: me },
    { text: labelIn(index, r.ns).padEnd(34), colour: r.ns === self.ns ? undefined : 'yellow' },
    { text: ` ${sanitize(r.target)}` },
    { text: `  (mount ${r.mount})`, dim: true },
  ];
  return me ? line : leadsTo(line, { ns: r.ns, mount: r.mount });
}

function nsList(index: SnapshotIndex, inodes: number[]): string {
  return inodes.map((i) => labelIn(index, i)).join(', ');
}

/**
 * The findings view: every finding of a namespace, wrapped to `width`; a
 * finding about a mount seen arriving says who made it (for a mount explosion:
 * who keeps doing it).
 */
export function findingLines(ns: MountNamespace, label: string, width: number, appeared: (mountId: number) => Appearance | undefined = () => undefined): Line[] {
  const lines: Line[] = [[{ text: `Findings for ${label}`, bold: true }], []];
  const wrap = (text: string, indent: string): string[] => {
    const out: string[] = [];
    let cur = '';
    for (const word of text.split(' ')) {
      if (cur && (indent + cur + ' ' + word).length > Math.max(20, width - 1)) {
        out.push(indent + cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    if (cur) out.push(indent + cur);
    return out;
  };
  for (const f of ns.findings) {
    const warn = f.severity === 'warning';
    const head: Line = [
      { text: warn ? '! ' : 'i ', colour: warn ? 'yellow' : 'green', bold: true },
      { text: f.code, colour: warn ? 'yellow' : 'green' },
    ];
    // A finding about a mount leads to it; the fix keys act on it here too.
    const about = f.mount === undefined || f.mount === null ? undefined : ns.mounts.find((m) => m.id === f.mount);
    if (about) head.push({ text: `  ${sanitize(about.target)}`, dim: true });
    lines.push(about ? leadsTo(head, { ns: ns.inode, mount: about.id }) : head);
    for (const l of wrap(sanitize(f.message), '  ')) lines.push([{ text: l }]);
    const seen = f.mount === undefined || f.mount === null ? undefined : appeared(f.mount);
    if (seen?.by) for (const l of wrap(sanitize(`made at ${seen.time.slice(11, 19)} ${whoWords(seen.by, seen.from)}`), '  ')) lines.push([{ text: l, colour: 'magenta' }]);
    if (f.fix) for (const l of wrap(`fix: ${sanitize(f.fix)}`, '  ')) lines.push([{ text: l, colour: 'cyan' }]);
    lines.push([]);
  }
  if (ns.findings.length === 0) lines.push([{ text: 'No findings (its mounts could not be read).', dim: true }]);
  return lines;
}

/** All lines of the details view for mount `m` of namespace `ns`. */
export function mountDetails(index: SnapshotIndex, ns: MountNamespace, m: Mount, appeared?: Appearance): Line[] {
  const self = { ns: ns.inode, id: m.id };
  const lines: Line[] = [
    [{ text: `Mount ${m.id} in ${labelIn(index, ns.inode)}`, bold: true }],
    field('target', sanitize(m.target)),
    field('source', sanitize(m.source)),
    field('fstype', sanitize(m.fstype)),
    field('fs root', sanitize(m.root)),
    field('mount id', `${m.id}   parent ${m.parent}   device ${m.major}:${m.minor}`),
    field('options', sanitize(m.options)),
    field('super options', sanitize(m.superOptions)),
    [{ text: `  ${'propagation'.padEnd(14)}`, dim: true }, ...propagationTags(m.propagation).flatMap((t) => [{ text: t.text, colour: TAG_COLOUR[t.kind] }, { text: ' ' }])],
  ];
  if (m.otherFields.length) lines.push(field('other fields', sanitize(m.otherFields.join(' '))));
  if (m.hidden) lines.push(field('hidden', 'yes: another mount covers this path', 'red'));
  if (appeared) {
    // Who made it and where, as the kernel's mount events told it (while mntns watched).
    const by = appeared.by;
    const who = by === undefined ? '' : by === null ? ' by a process that could not be told' : by.comm === null ? ` by pid ${by.pid} (gone before it could be read)` : ` by ${by.comm} (pid ${by.pid})`;
    lines.push(field('appeared', sanitize(`${appeared.time.slice(11, 19)}${who}`)));
    if (by?.cmdline?.length) lines.push(field('command', sanitize(by.cmdline.join(' '))));
    if (by?.chain.length) lines.push(field('ancestors', sanitize(by.chain.map((c) => `${c.comm} (${c.pid})`).join(' ← '))));
    if (appeared.from !== undefined) lines.push(field('arrived from', `${labelIn(index, appeared.from)} (made there, propagated here)`, 'yellow'));
  }
  lines.push([]);

  const { shared, master } = m.propagation;
  const groups = index.propagation.groups;
  if (shared !== null) {
    const g = groups.get(shared);
    const members = g?.members ?? [];
    lines.push([
      { text: `Peer group ${shared}`, bold: true, colour: 'yellow' },
      { text: ` — ${members.length} member${members.length === 1 ? '' : 's'} in ${new Set(members.map((x) => x.ns)).size} namespace(s)` },
    ]);
    for (const r of members) lines.push(memberLine(index, r, self));
    const slaves = g?.slaves ?? [];
    if (slaves.length) {
      lines.push([{ text: `Slaves of group ${shared}`, bold: true, colour: 'cyan' }, { text: ` — ${slaves.length} (they receive, never send back)` }]);
      for (const r of slaves) lines.push(memberLine(index, r, self));
    }
    lines.push([]);
  }
  if (master !== null) {
    lines.push([{ text: 'Master chain', bold: true, colour: 'cyan' }, { text: ' — this mount receives from:' }]);
    for (const g of masterChain(index.propagation, master)) {
      const members = groups.get(g)?.members ?? [];
      lines.push([
        { text: `  group ${g}`, colour: 'cyan' },
        {
          text: members.length ? ` (${members.length} member${members.length === 1 ? '' : 's'})` : ' (no member readable here: outside this root or in an unreadable namespace)',
          dim: members.length === 0,
        },
      ]);
      for (const r of members.slice(0, 20)) lines.push(memberLine(index, r, self));
      if (members.length > 20) lines.push([{ text: `       … ${members.length - 20} more`, dim: true }]);
    }
    if (m.propagation.propagateFrom !== null) {
      lines.push([
        { text: `  propagate_from:${m.propagation.propagateFrom}`, colour: 'blue' },
        { text: ": the nearest dominant group visible from the reader's root", dim: true },
      ]);
    }
    lines.push([]);
  }

  for (const f of ns.findings) {
    if (!(f.mounts ?? []).includes(m.id)) continue;
    lines.push([{ text: f.severity === 'warning' ? '! ' : 'i ', colour: f.severity === 'warning' ? 'yellow' : 'green', bold: true }, { text: sanitize(f.message) }]);
    if (f.fix) lines.push([{ text: '  fix: ', dim: true }, { text: sanitize(f.fix) }]);
  }
  const out = namespacesOf(sendsTo(index.propagation, ns.inode, m), ns.inode);
  const inn = namespacesOf(receivesFrom(index.propagation, ns.inode, m), ns.inode);
  if (out.length) lines.push([{ text: 'Mounts made under this path here also appear in: ', colour: 'yellow' }, { text: nsList(index, out) }]);
  if (inn.length) lines.push([{ text: 'Mounts made in these namespaces appear here: ', colour: 'cyan' }, { text: nsList(index, inn) }]);
  if (!out.length && !inn.length) lines.push([{ text: 'Nothing propagates across a namespace boundary through this mount.', colour: 'green' }]);
  return lines;
}

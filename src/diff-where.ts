/**
 * `mntns diff A B` and `mntns where Q`: the operands resolved (a PID, a
 * namespace inode, a snapshot file), the comparison or the search run, the
 * answer written as text or JSON.
 */
import { LookupError } from './discover/lookup-error.js';
import { readSnapshotFile, type SnapshotOrigin } from './discover/snapshot-file.js';
import { compareMounts } from './model/compare.js';
import { findEverywhere, parseWhereQuery } from './model/where.js';
import type { MountNamespace, Snapshot } from './model/types.js';
import { comparisonJson, renderComparison, renderSnapshotComparison, renderWhere, snapshotComparisonJson, whereJson, type CompareSide, type SnapshotComparison } from './output/compare-text.js';

/** The biggest pid Linux hands out (PID_MAX_LIMIT, 2^22): any bigger number is a namespace inode. */
export const PID_MAX_LIMIT = 4_194_304;

export type Operand = { kind: 'pid'; pid: number } | { kind: 'inode'; inode: number } | { kind: 'file'; path: string };

/** A decimal is a pid up to PID_MAX_LIMIT and an inode above it; anything else names a snapshot file. */
export function parseOperand(s: string): Operand {
  if (/^\d{1,15}$/.test(s)) {
    const n = Number(s);
    return n <= PID_MAX_LIMIT ? { kind: 'pid', pid: n } : { kind: 'inode', inode: n };
  }
  return { kind: 'file', path: s };
}

interface Source {
  snapshot: Snapshot;
  origin: SnapshotOrigin | null;
}

/** The namespace `op` names in `src`; a one-line error when it is not there. */
function namespaceIn(src: Source, op: Operand): MountNamespace {
  const where = src.origin ? ` in ${src.origin.file}` : '';
  if (op.kind === 'pid') {
    const ns = src.snapshot.namespaces.find((n) => n.processes.some((p) => p.pid === op.pid));
    if (!ns) throw new LookupError(`no such process${where}: ${op.pid}`);
    return ns;
  }
  if (op.kind === 'inode') {
    const ns = src.snapshot.namespaces.find((n) => n.inode === op.inode);
    if (!ns) throw new LookupError(`no such mount namespace${where}: ${op.inode}`);
    return ns;
  }
  const [only] = src.snapshot.namespaces;
  if (src.snapshot.namespaces.length !== 1)
    throw new LookupError(`${src.origin?.file ?? 'the snapshot'} holds ${src.snapshot.namespaces.length} namespaces: say which (a PID or an inode on the other side)`);
  return only;
}

const side = (src: Source, ns: MountNamespace): CompareSide => ({ ns, file: src.origin?.file ?? null, time: src.snapshot.time });

export interface DiffOutput {
  text: string;
  json: object;
}

/**
 * Compares what A and B name. `live` takes this host's snapshot (or the
 * --from file's); a file operand is read. Two files of many namespaces are
 * compared namespace by namespace (matched by inode); a file and a namespace
 * compare that namespace with the same inode in the file; a file of one
 * namespace compares that one, whatever its inode (another host's).
 */
export async function runDiff(operands: string[], live: () => Promise<Source>): Promise<DiffOutput> {
  const ops = operands.map(parseOperand);
  let shared: Promise<Source> | null = null;
  const sourceOf = (op: Operand): Promise<Source> => (op.kind === 'file' ? Promise.resolve(readSnapshotFile(op.path)) : (shared ??= live()));
  const [sa, sb] = [await sourceOf(ops[0]), await sourceOf(ops[1])];
  // A file of one namespace is that namespace; a file of many, the one with the other side's inode.
  const direct = (src: Source, op: Operand): MountNamespace | null => (op.kind === 'file' && src.snapshot.namespaces.length !== 1 ? null : namespaceIn(src, op));
  let a = direct(sa, ops[0]);
  let b = direct(sb, ops[1]);
  if (!a && !b) {
    const c = compareSnapshots(sa, sb);
    return { text: renderSnapshotComparison(c), json: snapshotComparisonJson(c) };
  }
  a ??= namespaceIn(sa, { kind: 'inode', inode: b!.inode });
  b ??= namespaceIn(sb, { kind: 'inode', inode: a.inode });
  const d = compareMounts(a.mounts, b.mounts);
  return { text: renderComparison(side(sa, a), side(sb, b), d), json: comparisonJson(side(sa, a), side(sb, b), d) };
}

function compareSnapshots(sa: Source, sb: Source): SnapshotComparison {
  const inB = new Map(sb.snapshot.namespaces.map((n) => [n.inode, n]));
  const inA = new Set(sa.snapshot.namespaces.map((n) => n.inode));
  const namespaces: SnapshotComparison['namespaces'] = [];
  for (const a of sa.snapshot.namespaces) {
    const b = inB.get(a.inode);
    if (b) namespaces.push({ a: side(sa, a), b: side(sb, b), diff: compareMounts(a.mounts, b.mounts) });
  }
  return {
    a: { file: sa.origin?.file ?? null, time: sa.snapshot.time },
    b: { file: sb.origin?.file ?? null, time: sb.snapshot.time },
    namespaces,
    onlyInA: sa.snapshot.namespaces.filter((n) => !inB.has(n.inode)),
    onlyInB: sb.snapshot.namespaces.filter((n) => !inA.has(n.inode)),
  };
}

/** Every namespace with the mount `query` names. */
export async function runWhere(query: string, source: () => Promise<Source>): Promise<DiffOutput> {
  const q = parseWhereQuery(query);
  const hits = findEverywhere((await source()).snapshot, q);
  return { text: renderWhere(q, hits), json: whereJson(q, hits) };
}

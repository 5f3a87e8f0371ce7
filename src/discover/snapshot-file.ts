/**
 * A snapshot from a file (`mntns --json > FILE`, or another host's through
 * ssh) instead of /proc: checked enough that everything downstream can trust
 * its shape, with a one-line error for a file of another version, a truncated
 * one, or something else altogether.
 */
import { readFileSync } from 'node:fs';
import type { Snapshot } from '../model/types.js';
import { LookupError } from './lookup-error.js';

/** Where a snapshot came from, for banners and diff headers: the file and the time it was taken. */
export interface SnapshotOrigin {
  file: string;
  time: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isIntOrNull = (v: unknown): boolean => v === null || isInt(v);

/** Why `v` is not a version-1 snapshot, or null when it is one. */
function problem(v: unknown): string | null {
  if (!isObj(v)) return 'not a mntns snapshot (not a JSON object)';
  if (!('version' in v)) return 'not a mntns snapshot (no "version")';
  if (v.version !== 1) return `snapshot version ${JSON.stringify(v.version)}; this mntns reads version 1`;
  if (!isStr(v.time) || !Array.isArray(v.namespaces) || !Array.isArray(v.peerGroups) || !Array.isArray(v.errors)) return 'not a mntns snapshot (time, namespaces, peerGroups or errors missing)';
  for (const [i, ns] of v.namespaces.entries()) {
    const at = `namespaces[${i}]`;
    if (!isObj(ns) || !isInt(ns.inode) || !Array.isArray(ns.processes) || !Array.isArray(ns.mounts) || !Array.isArray(ns.holders) || !Array.isArray(ns.findings)) return `${at} is not a namespace`;
    if (!Array.isArray(ns.mountErrors)) ns.mountErrors = [];
    if (ns.name !== undefined && !isStr(ns.name)) return `${at}.name is not a string`;
    for (const [j, p] of ns.processes.entries()) {
      if (!isObj(p) || !isInt(p.pid) || !isInt(p.ppid) || !isStr(p.comm) || !isInt(p.uid) || !Array.isArray(p.cmdline) || !p.cmdline.every(isStr)) return `${at}.processes[${j}] is not a process`;
    }
    for (const [j, m] of ns.mounts.entries()) {
      const prop = isObj(m) ? m.propagation : null;
      const ok =
        isObj(m) &&
        isInt(m.id) &&
        isInt(m.parent) &&
        isInt(m.major) &&
        isInt(m.minor) &&
        [m.root, m.target, m.options, m.fstype, m.source, m.superOptions].every(isStr) &&
        isObj(prop) &&
        isIntOrNull(prop.shared) &&
        isIntOrNull(prop.master) &&
        isIntOrNull(prop.propagateFrom) &&
        typeof prop.unbindable === 'boolean' &&
        Array.isArray(m.otherFields) &&
        typeof m.hidden === 'boolean';
      if (!ok) return `${at}.mounts[${j}] is not a mount`;
    }
  }
  return null;
}

/** Parses snapshot `text`; `name` is how errors call it. Throws LookupError (one line). */
export function parseSnapshotText(text: string, name: string): Snapshot {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const why = text.trim() === '' ? 'empty' : `truncated or not JSON (${(e as Error).message})`;
    throw new LookupError(`${name}: ${why}`);
  }
  const bad = problem(v);
  if (bad) throw new LookupError(`${name}: ${bad}`);
  return v as Snapshot;
}

/** Reads a snapshot from `path`, or from stdin for `-`. */
export function readSnapshotFile(path: string): { snapshot: Snapshot; origin: SnapshotOrigin } {
  const name = path === '-' ? 'stdin' : path;
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new LookupError(`cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const snapshot = parseSnapshotText(text, name);
  return { snapshot, origin: { file: name, time: snapshot.time } };
}

/**
 * `mntns --json`: the snapshot in the version-1 contract, written one namespace
 * at a time and with back-pressure, so a host with 100,000 mounts never holds the
 * whole document in memory (as one string, or queued behind a slow pipe).
 */
import type { Mount, MountNamespace, Snapshot } from '../model/types.js';

/** Where output goes: `write` returns false when the consumer wants us to wait for `drain`. */
export interface Sink {
  write(chunk: string): boolean;
  once(event: 'drain', cb: () => void): unknown;
}

/** Writes `snap` as one JSON document to `out` (compact, or indented when `pretty`). */
export async function writeSnapshotJson(snap: Snapshot, out: Sink, pretty = false): Promise<void> {
  const put = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', r));
  };
  if (pretty) {
    await put(JSON.stringify(snap, null, 2) + '\n');
    return;
  }
  await put(`{"version":${snap.version},"time":${JSON.stringify(snap.time)},"namespaces":[`);
  const fields = new FieldCache();
  for (let i = 0; i < snap.namespaces.length; i++) await put((i ? ',' : '') + namespaceJson(snap.namespaces[i], fields));
  await put(`],"peerGroups":${JSON.stringify(snap.peerGroups)},"errors":${JSON.stringify(snap.errors)}}\n`);
}

/**
 * The JSON of a mount's fields but its ids and hidden flag, once per distinct
 * set of them: the copies of a table in a hundred namespaces share them (the
 * parser hands every copy the first one's strings and propagation), so most
 * mounts are written with one lookup by target and a few identity checks.
 */
class FieldCache {
  private byTarget = new Map<string, Array<{ m: Mount; json: string }>>();

  json(m: Mount): string {
    let seen = this.byTarget.get(m.target);
    if (!seen) this.byTarget.set(m.target, (seen = []));
    for (const e of seen) {
      const t = e.m;
      if (
        t.root === m.root &&
        t.options === m.options &&
        t.fstype === m.fstype &&
        t.source === m.source &&
        t.superOptions === m.superOptions &&
        t.propagation === m.propagation &&
        t.otherFields === m.otherFields &&
        t.major === m.major &&
        t.minor === m.minor
      )
        return e.json;
    }
    const json = JSON.stringify({
      major: m.major,
      minor: m.minor,
      root: m.root,
      target: m.target,
      options: m.options,
      fstype: m.fstype,
      source: m.source,
      superOptions: m.superOptions,
      propagation: m.propagation,
      otherFields: m.otherFields,
    }).slice(1, -1);
    // A few per target; a stack of thousands on one target would make the scan quadratic.
    if (seen.length < 8) seen.push({ m, json });
    return json;
  }
}

/** A mount as JSON.stringify writes it (the same keys, in the order the parser makes them). */
function mountJson(m: Mount, fields: FieldCache): string {
  const raw =
    (m.rootRaw !== undefined ? `,"rootRaw":${JSON.stringify(m.rootRaw)}` : '') +
    (m.targetRaw !== undefined ? `,"targetRaw":${JSON.stringify(m.targetRaw)}` : '') +
    (m.sourceRaw !== undefined ? `,"sourceRaw":${JSON.stringify(m.sourceRaw)}` : '');
  return `{"id":${m.id},"parent":${m.parent},${fields.json(m)},"hidden":${m.hidden}${raw}}`;
}

/** A namespace as JSON.stringify writes it, its mounts through the cache. */
function namespaceJson(ns: MountNamespace, fields: FieldCache): string {
  const mounts = ns.mounts.map((m) => mountJson(m, fields)).join(',');
  return `{"inode":${ns.inode},"initial":${JSON.stringify(ns.initial)},"readVia":${JSON.stringify(ns.readVia)},"processes":${JSON.stringify(ns.processes)},"holders":${JSON.stringify(ns.holders)},"mounts":[${mounts}],"findings":${JSON.stringify(ns.findings)},"mountErrors":${JSON.stringify(ns.mountErrors)}${ns.name !== undefined ? `,"name":${JSON.stringify(ns.name)}` : ''}}`;
}

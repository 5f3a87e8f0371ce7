/**
 * `mntns --json`: the snapshot in the version-1 contract, written one namespace
 * at a time so a host with 100,000 mounts never holds the whole document as one
 * string (that string alone would be tens of megabytes).
 */
import type { Snapshot } from '../model/types.js';

/** Writes `snap` as one JSON document through `write` (compact, or indented when `pretty`). */
export function writeSnapshotJson(snap: Snapshot, write: (chunk: string) => void, pretty = false): void {
  if (pretty) {
    write(JSON.stringify(snap, null, 2) + '\n');
    return;
  }
  write(`{"version":${snap.version},"time":${JSON.stringify(snap.time)},"namespaces":[`);
  snap.namespaces.forEach((ns, i) => write((i ? ',' : '') + JSON.stringify(ns)));
  write(`],"peerGroups":${JSON.stringify(snap.peerGroups)},"errors":${JSON.stringify(snap.errors)}}\n`);
}

/**
 * `mntns --json`: the snapshot in the version-1 contract, written one namespace
 * at a time and with back-pressure, so a host with 100,000 mounts never holds the
 * whole document in memory (as one string, or queued behind a slow pipe).
 */
import type { Snapshot } from '../model/types.js';

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
  for (let i = 0; i < snap.namespaces.length; i++) await put((i ? ',' : '') + JSON.stringify(snap.namespaces[i]));
  await put(`],"peerGroups":${JSON.stringify(snap.peerGroups)},"errors":${JSON.stringify(snap.errors)}}\n`);
}

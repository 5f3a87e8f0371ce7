/** How V8's heap is sized for a one-shot snapshot (--json, --tree, diff, where). */
import { setFlagsFromString } from 'node:v8';

/**
 * Stops V8 from growing the young generation past its first semi-spaces (1–2 MB).
 * A snapshot's objects nearly all live to its end, so a bigger young generation
 * only holds them longer before they are promoted anyway: at 100 namespaces of
 * 1,000 mounts it grew to 32 MB, and --json's peak RSS was 152–162 MB; with this
 * 113–121 MB, in the same time (runs interleaved). Not for the TUI: there every
 * frame's garbage would be collected 1 MB at a time (its namespaces were drawn
 * 100–150 ms later).
 *
 * `--max-semi-space-size` would say it plainly but is read only when a heap is
 * made, so it must be on node's command line; the growth factor is read each
 * time the young generation would grow. It is a process-wide V8 flag, and the
 * start of a worker thread sets V8's flags back to their defaults (measured on
 * Node 20: a young generation kept at 2 MB grows to 32 after a Worker starts),
 * so each reader thread of a one-shot snapshot calls this again as it starts, and
 * the snapshot once more when its reads are done (a process-less namespace is
 * read by a thread of its own).
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** The events a live watch produces (../shared/notes/cli-contract.md, `watch --json`), keyed by `type`. */
import type { Mount, MountBy } from '../model/types.js';

export type WatchEvent =
  /**
   * `by`: who made it (null: not known) — absent where mntns has no mount events
   * for the namespace; `from`: the namespace it was made in, when it arrived by propagation.
   */
  | { time: string; type: 'mount' | 'umount'; ns: number; mount: Mount; by?: MountBy | null; from?: number }
  /** `before`: the mount as it was. */
  | { time: string; type: 'change'; ns: number; mount: Mount; before: Mount }
  | { time: string; type: 'namespace-added' | 'namespace-removed'; ns: number }
  /** `comm`: unknown for a process that was gone before it was read. */
  | { time: string; type: 'process-added' | 'process-removed'; ns: number; pid: number; comm?: string };

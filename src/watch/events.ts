/** The events a live watch produces (../shared/notes/cli-contract.md, `watch --json`), keyed by `type`. */
import type { Mount } from '../model/types.js';

export type WatchEvent =
  | { time: string; type: 'mount' | 'umount'; ns: number; mount: Mount }
  /** `before`: the mount as it was. */
  | { time: string; type: 'change'; ns: number; mount: Mount; before: Mount }
  | { time: string; type: 'namespace-added' | 'namespace-removed'; ns: number }
  /** `comm`: unknown for a process that was gone before it was read. */
  | { time: string; type: 'process-added' | 'process-removed'; ns: number; pid: number; comm?: string };

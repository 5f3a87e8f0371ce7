/** The events a live watch produces (../shared/notes/cli-contract.md, `watch --json`). */
import type { Mount } from '../model/types.js';

export type WatchEventType =
  | 'mount' | 'umount' | 'change'
  | 'namespace-added' | 'namespace-removed'
  | 'process-added' | 'process-removed';

export interface WatchEvent {
  time: string;
  type: WatchEventType;
  ns: number;
  mount?: Mount;
  /** The mount as it was, for `change`. */
  before?: Mount;
  pid?: number;
  comm?: string;
}

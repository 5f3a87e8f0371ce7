/**
 * `y`: what to copy from where the cursor is — the selected mount's path (its
 * exact bytes, also for a name that is not UTF-8), a process's command line, or
 * for a namespace the command that enters it — and the message that says so.
 */
import { unescapeBytes } from '../proc/mountinfo.js';
import { shellQuote } from './change-effect.js';
import type { Derived } from './hooks/use-derive.js';
import type { ViewState } from './view-cursors.js';
import { sanitize } from '../format/sanitize.js';

export function copyWhat(d: Derived, view: ViewState, copy: ((bytes: Uint8Array) => boolean) | undefined): string {
  if (!copy) return 'copying is off: start mntns with --osc52 (it writes to your terminal’s clipboard)';
  let bytes: Uint8Array | null = null;
  let what = '';
  if (view.pane === 'mounts' || view.mode === 'details') {
    const m = d.mountRows[d.mCursor]?.mount;
    if (m) {
      bytes = m.targetRaw !== undefined ? unescapeBytes(m.targetRaw) : Buffer.from(m.target);
      what = sanitize(m.target);
    }
  } else {
    const row = d.nsRows[d.nsCursor];
    if (row?.kind === 'proc') {
      what = sanitize(row.proc.cmdline.join(' ') || row.proc.comm);
      bytes = Buffer.from(row.proc.cmdline.map(shellQuote).join(' ') || row.proc.comm);
    } else if (row?.ns.readVia !== null && row?.ns.readVia !== undefined) {
      what = `nsenter -t ${row.ns.readVia} -m`;
      bytes = Buffer.from(what);
    }
  }
  if (!bytes) return 'nothing to copy here';
  return copy(bytes) ? `copied: ${what}` : 'the terminal is not ours right now: nothing copied';
}

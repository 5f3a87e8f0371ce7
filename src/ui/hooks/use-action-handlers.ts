/**
 * What the keys that act on the system do, once the view has decided: change a
 * mount's propagation (y), enter a namespace (e), copy one (u), end a holder
 * (K), quit (keeping or ending what mntns made). The view's state moves through
 * `dispatch`; the system is reached only through the store's actions.
 */
import { join } from 'node:path';
import { useRef } from 'react';
import type { UnsharePropagation } from '../../actions/actions.js';
import type { ShellLaunch } from '../../sys/enter-shell.js';
import { nsId } from '../../format/describe.js';
import { propagationText } from '../../format/propagation.js';
import { sanitize } from '../../format/sanitize.js';
import { identityChanges } from '../../model/diff.js';
import type { MountNamespace } from '../../model/types.js';
import type { Store } from '../../store/store.js';
import type { Action, Ctx, PendingAction, ViewState } from '../view-state.js';

export interface HandlerDeps {
  store: Store;
  dispatch: (a: Action) => void;
  /** The newest view state and its context (key handlers never act on a stale render). */
  view: () => ViewState;
  ctx: () => Ctx;
  selectedNs: () => MountNamespace | null;
  label: (inode: number) => string;
  runInTerminal?: (launch: ShellLaunch, banner: string) => Promise<number | string>;
  suspend?: () => string | null;
  redraw: () => void;
  onQuit: (farewell?: string) => void;
  exit: () => void;
}

export function useActionHandlers(d: HandlerDeps) {
  const { store, dispatch } = d;
  /** The never-reused id of each dialog's mount, taken when the dialog opened. */
  const uniqueOf = useRef(new WeakMap<PendingAction, string | null>());
  const back = (): void => dispatch({ type: 'command', command: 'back', ctx: d.ctx() });
  const say = (text: string): void => dispatch({ type: 'message', text });

  /** A propagation dialog opened: note the mount's never-reused id now, so y acts on it or on nothing. */
  function pinPending(): void {
    const p = d.view().pending;
    const ns = p && store.getState().snapshot?.namespaces.find((n) => n.inode === p.inode);
    if (p && ns && store.actions && !uniqueOf.current.has(p)) uniqueOf.current.set(p, store.actions.pin(ns, p.shown));
  }

  /** y: run the pending propagation change, then show what the kernel now says. */
  async function confirm(): Promise<void> {
    const p = d.view().pending;
    back();
    const ns = store.getState().snapshot?.namespaces.find((n) => n.inode === p?.inode);
    const current = ns?.mounts.find((x) => x.id === p?.mountId);
    if (!p || !ns || !current || !store.actions) return say('that mount is gone; nothing changed');
    // Ids are reused: the mount with that id now must be the one the dialog showed.
    const changed = identityChanges(p.shown, current);
    if (changed.length) return say(`mount ${p.shown.id} is not the one shown any more (${changed.join(', ')} changed: now ${sanitize(current.target)}); nothing changed`);
    const m = p.shown;
    say(`changing ${sanitize(m.target)}…`);
    const r = await store.actions.setPropagation(ns, m, p.kind, p.recursive, uniqueOf.current.get(p));
    const where = `${nsId(ns.inode)} ${sanitize(m.target)}`;
    if (!r.ok) return say(`${where}: failed, ${r.message}`);
    const was = propagationText(m.propagation);
    const now = r.after ? propagationText(r.after.propagation) : 'gone';
    say(`${where}: ${was} → ${now}`);
  }

  /** e, then a / h: a shell inside the selected namespace; the screen comes back as it was, re-read. */
  async function enter(asItRuns: boolean): Promise<void> {
    back();
    const ns = d.selectedNs();
    if (!ns) return;
    const off = d.ctx().actionsOff;
    if (off || !store.actions) return say(off ?? 'actions are off');
    const how = store.actions.enterHow(ns, asItRuns);
    if ('error' in how) return say(how.error);
    if (!d.runInTerminal) return say('no terminal to hand over');
    const label = d.label(ns.inode);
    // Let Ink finish its frame before the terminal changes hands.
    await new Promise((r) => setTimeout(r, 50));
    const status = await d.runInTerminal(how.launch, sanitize(`mntns: a shell in ${label} ${how.as} — exit it to come back`));
    store.actions.reread();
    d.redraw();
    say(typeof status === 'string' ? `could not enter ${label}: ${status}` : `back from ${label} (shell exited ${status})`);
  }

  /** u: a copy of the selected namespace with the chosen propagation, held by mntns. */
  async function unshare(propagation: UnsharePropagation): Promise<void> {
    back();
    const ns = d.selectedNs();
    if (!ns || !store.actions) return;
    say(`unsharing from ${nsId(ns.inode)} (${propagation})…`);
    const r = await store.actions.unshare(ns, propagation);
    if (!r.ok) return say(r.message);
    await store.rediscover();
    dispatch({ type: 'select', inode: r.inode, ctx: d.ctx() });
    say(`made ${nsId(r.inode)} (${propagation} copy of ${nsId(ns.inode)}), held by mntns (pid ${r.pid}); K ends it`);
  }

  /** K: end a holder mntns made (never anything else). */
  function endHolder(): void {
    const ns = d.selectedNs();
    if (!ns || !store.actions) return;
    if (!store.actions.end(ns.inode)) return say(`${nsId(ns.inode)} was not made by mntns: K only ends mntns's own holders`);
    say(`ended the holder of ${nsId(ns.inode)}`);
  }

  /** q: straight out, or first the question whether to keep the namespaces mntns made. */
  function quit(): void {
    dispatch({ type: 'command', command: 'quit', ctx: d.ctx() });
    if (d.view().mode !== 'quit') finish(true);
  }

  function finish(endMade: boolean): void {
    let farewell: string | undefined;
    if (store.actions && endMade) store.actions.endAll();
    else if (store.actions) {
      const kept = store.actions.keepAll();
      if (kept) farewell = `mntns: kept ${kept.inodes.map(nsId).join(', ')}, held by pid ${kept.pid ?? '?'} (${kept.name}); kill ${kept.pid ?? 'it'} to end them`;
    }
    d.onQuit(farewell);
    d.exit();
  }

  /** w: the journal to a new file in the working directory, named by the time. */
  function saveLog(): void {
    const name = `mntns-events-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
    const path = join(process.cwd(), name);
    try {
      const n = store.saveJournal(path);
      say(`wrote ${n} event${n === 1 ? '' : 's'} to ${sanitize(path)} (NDJSON, as mntns watch --json)`);
    } catch (e) {
      say(`cannot write ${sanitize(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  function suspend(): void {
    const why = d.suspend ? d.suspend() : 'suspend is not available here';
    if (why) say(why);
  }

  return { pinPending, confirm, enter, unshare, endHolder, quit, finish, suspend, saveLog };
}

/** `mntns watch`: one line per event, NDJSON with --json, or for people. */
import type { WatchEvent } from '../watch/events.js';
import { propagationText } from '../format/propagation.js';
import { sanitize } from '../format/sanitize.js';
import { nsId, whoWords } from '../format/describe.js';

export { eventJson } from '../format/event-json.js';

/** `01:02:03.456 mnt:[4026532177] mount /tmp/x tmpfs x shared:5` — sanitised. */
export function eventText(e: WatchEvent): string {
  const t = e.time.slice(11, 23);
  const head = `${t} ${nsId(e.ns)} ${e.type.padEnd(17)}`;
  if ('mount' in e) {
    const m = e.mount;
    const tags = propagationText(m.propagation);
    let line = `${head} ${sanitize(m.target)}  ${sanitize(m.fstype)} ${sanitize(m.source)}  ${sanitize(m.options)}  ${tags}`;
    if (e.type === 'change') {
      const was = propagationText(e.before.propagation);
      if (was !== tags) line += `  (was ${was})`;
      if (e.before.options !== m.options) line += `  (options were ${sanitize(e.before.options)})`;
    } else {
      const who = whoWords(e.by, e.from);
      if (who) line += `  ${sanitize(who)}`;
    }
    return line + '\n';
  }
  if ('pid' in e) return `${head} ${e.pid} ${sanitize(e.comm ?? '')}\n`;
  return head.trimEnd() + '\n';
}

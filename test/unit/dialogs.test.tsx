/**
 * The dialogs and the help legend line their columns up with runs of spaces: a
 * formatter that collapses JSX whitespace would silently misalign them.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { EnterDialog, QuitDialog, UnshareDialog } from '../../src/ui/components/UnshareDialog.js';
import { ConfirmDialog } from '../../src/ui/components/ConfirmDialog.js';
import { HelpOverlay } from '../../src/ui/components/HelpOverlay.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';

const frame = (el: React.ReactElement): string => {
  const r = render(el);
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
};

describe('dialogs keep their columns', () => {
  it('u, q and e: keys padded, descriptions lined up', () => {
    const u = frame(<UnshareDialog label="mnt:[1] x" height={14} width={100} />);
    expect(u).toContain("  p / Enter  private — nothing in, nothing out (unshare's default)");
    expect(u).toContain('  v          slave — receives mounts');
    const q = frame(<QuitDialog count={2} height={8} width={100} />);
    expect(q).toContain('  e / Enter  end them and quit (default)');
    expect(q).toContain('  Esc / n    back to mntns');
    const e = frame(<EnterDialog label="mnt:[1] x" asItRunsByDefault height={12} width={110} />);
    expect(e).toContain('  a / Enter  as its processes run');
    expect(e).toContain('               uts, cgroup, mount)');
    expect(e).toContain('  h          as HOST ROOT');
  });
  it('the propagation question: labels in a column', () => {
    const m = parseMountinfo('30 1 0:40 / /srv rw shared:5 - tmpfs t rw\n').mounts[0];
    const f = frame(<ConfirmDialog pending={{ inode: 1, mountId: 30, shown: m, kind: 'private', recursive: false }} ns={null} mount={m} label="mnt:[1]" height={12} width={100} />);
    expect(f).toContain('namespace  mnt:[1]');
    expect(f).toContain('mount      /srv  (id 30, tmpfs)');
    expect(f).toContain('y do it    n / Esc cancel');
  });
  it('the help legend', () => {
    const f = frame(<HelpOverlay height={60} width={200} top={0} />);
    expect(f).toContain('  I initial (host)   H held without processes   M made by mntns (u)');
    expect(f).toContain('  unbindable   private   hidden overmounted   green changed a moment ago');
  });
});

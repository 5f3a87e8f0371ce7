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
    expect(q).toContain('End them?');
    expect(q).toContain('  y / Enter  yes: end them and quit (default)');
    expect(q).toContain('  n / N      no: keep them');
    expect(q).toContain('  Esc        back to mntns, nothing ended');
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
    const f = frame(<HelpOverlay height={120} width={200} top={0} />);
    expect(f).toContain('  I initial (host)   H held without processes   M made by mntns (u)');
    expect(f).toContain('  unbindable   private   hidden overmounted   green changed a moment ago');
  });
});

describe('what a propagation change does to others', () => {
  it('counts the mounts P touches, names who stops receiving and sending, and gives the command that does the same', async () => {
    const { changeEffect, shellQuote } = await import('../../src/ui/change-effect.js');
    const { indexSnapshot } = await import('../../src/ui/view-model.js');
    const { aNamespace, aProcess } = await import('../helpers/model.js');
    // The box's host root is a peer of the host's (group 7) and a slave of up's (group 9); its mnt a peer of the host's.
    const host = aNamespace(
      1,
      [aProcess(1, 1, ['init'])],
      '1 0 8:1 / / rw - ext4 /dev/a rw\n2 1 0:40 / /lab/host\\040root rw shared:7 - tmpfs r rw\n3 2 0:41 / /lab/host\\040root/mnt rw shared:8 - tmpfs l rw\n',
    );
    const box = aNamespace(
      2,
      [aProcess(20, 2, ['box'])],
      '11 0 8:1 / / rw - ext4 /dev/a rw\n12 11 0:40 / /lab/host\\040root rw shared:7 master:9 - tmpfs r rw\n13 12 0:41 / /lab/host\\040root/mnt rw shared:8 - tmpfs l rw\n',
      { initial: false },
    );
    const up = aNamespace(3, [aProcess(30, 3, ['up'])], '21 0 8:1 / / rw - ext4 /dev/a rw\n22 21 0:40 / /lab/host\\040root rw shared:9 - tmpfs r rw\n', { initial: false });
    const index = indexSnapshot({ version: 1, time: '', namespaces: [host, box, up], peerGroups: [], errors: [] });
    const root = box.mounts[1];
    const p = changeEffect(index, box, root, { kind: 'private', recursive: false });
    expect(p).toEqual({ touches: 1, stopsSending: ['mnt:[1] init'], stopsReceiving: ['mnt:[1] init', 'mnt:[3] up'], command: "nsenter -t 20 -m mount --make-private '/lab/host root'" });
    const P = changeEffect(index, box, root, { kind: 'private', recursive: true });
    expect(P.touches).toBe(2);
    expect(P.command).toBe("nsenter -t 20 -m mount --make-rprivate '/lab/host root'");
    // A slave keeps receiving; shared cuts nothing.
    expect(changeEffect(index, box, root, { kind: 'slave', recursive: false }).stopsReceiving).toEqual([]);
    expect(changeEffect(index, box, root, { kind: 'shared', recursive: false })).toMatchObject({ stopsSending: [], stopsReceiving: [] });
    expect(shellQuote("/a b'c\u001b")).toBe("'/a b'\\''c\\e'");
    expect(shellQuote('/srv/data')).toBe('/srv/data');
  });
});

/** `u` asks the propagation of the copy; `e` how to enter; `q` with namespaces mntns made asks keep or end. */
import type React from 'react';
import { Box, Text } from 'ink';
import { C } from '../theme.js';
import { DIALOG_KEYMAPS, dialogLabel, type DialogCommand, type DialogMode } from '../keys/keymap.js';

/** A choice's keys, padded to line up the descriptions. */
const keys = (mode: DialogMode, command: DialogCommand, width = 11): string => dialogLabel(mode, command).padEnd(width);
const COPY_COLOUR: Partial<Record<DialogCommand, 'green' | 'cyan' | 'yellow' | 'magenta'>> = { copyPrivate: 'green', copySlave: 'cyan', copyShared: 'yellow', copyUnchanged: 'magenta' };

export function UnshareDialog({ label, height, width }: { label: string; height: number; width: number }): React.ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>New mount namespace, copied from {label}</Text>
      <Text> </Text>
      <Text>How should the copy propagate?</Text>
      {DIALOG_KEYMAPS.unshare
        .filter((b) => b.command !== 'cancel')
        .map((b) => (
          <Choice key={b.command} mode="unshare" command={b.command} colour={COPY_COLOUR[b.command]} />
        ))}
      <Text> </Text>
      <Text>
        <C dim>{dialogLabel('unshare', 'cancel').split(' / ')[0]} cancels. mntns holds the copy itself, by an fd (flag M): it ends with mntns, or with K.</C>
      </Text>
    </Box>
  );
}

/** One choice of a dialog: its keys (coloured), then what it does, both from the keymap. */
function Choice({ mode, command, colour }: { mode: DialogMode; command: DialogCommand; colour?: 'green' | 'cyan' | 'yellow' | 'magenta' }): React.ReactElement {
  const b = DIALOG_KEYMAPS[mode].find((x) => x.command === command);
  return (
    <Text>
      {'  '}
      <C c={colour} bold={colour !== undefined}>
        {keys(mode, command)}
      </C>
      {b?.description}
    </Text>
  );
}

export function QuitDialog({ count, height, width }: { count: number; height: number; width: number }): React.ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold>
        mntns made {count} mount namespace{count === 1 ? '' : 's'} in this session. End {count === 1 ? 'it' : 'them'}?
      </Text>
      <Text> </Text>
      <Choice mode="quit" command="endMade" colour="green" />
      <Choice mode="quit" command="keepMade" colour="yellow" />
      <Choice mode="quit" command="cancel" />
    </Box>
  );
}

export function EnterDialog({ label, asItRunsByDefault, height, width }: { label: string; asItRunsByDefault: boolean; height: number; width: number }): React.ReactElement {
  const enter = ` / ${dialogLabel('enter', 'enterDefault')}`;
  const dflt = (yes: boolean): string => (yes ? enter : ' '.repeat(enter.length));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold wrap="truncate">
        A shell in {label}
      </Text>
      <Text> </Text>
      <Text>The shell is the namespace's own binary ($SHELL there). How should it run?</Text>
      <Text>
        {'  '}
        <C c="green" bold>
          {dialogLabel('enter', 'asItRuns')}
        </C>
        {dflt(asItRunsByDefault)}
        {'  as its processes run: all their namespaces (user, pid, net, ipc,'}
      </Text>
      <Text>{"               uts, cgroup, mount), uid/gid and capabilities — a container's shell as it sees it"}</Text>
      <Text>
        {'  '}
        <C c="red" bold>
          {dialogLabel('enter', 'asHost')}
        </C>
        {dflt(!asItRunsByDefault)}
        {'  as HOST ROOT: its mount namespace only; its binaries run with all of'}
      </Text>
      <Text>{"               this host's privileges and its pid, net and user namespaces"}</Text>
      <Text> </Text>
      <Text>
        <C dim>{dialogLabel('enter', 'cancel').split(' / ')[0]} cancels.</C>
      </Text>
    </Box>
  );
}

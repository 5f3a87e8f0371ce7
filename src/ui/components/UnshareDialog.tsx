/** `u` asks the propagation of the copy; `e` how to enter; `q` with namespaces mntns made asks keep or end. */
import React from 'react';
import { Box, Text } from 'ink';
import { C } from '../theme.js';

export function UnshareDialog({ label, height, width }: { label: string; height: number; width: number }): React.ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>New mount namespace, copied from {label}</Text>
      <Text> </Text>
      <Text>How should the copy propagate?</Text>
      <Text>  <C c="green" bold>p</C> / Enter  private — nothing in, nothing out (unshare's default)</Text>
      <Text>  <C c="cyan" bold>v</C>          slave — receives mounts from the original, sends none back</Text>
      <Text>  <C c="yellow" bold>s</C>          shared — mounts cross both ways (a new peer group for each)</Text>
      <Text>  <C c="magenta" bold>u</C>          unchanged — keeps the original's peer groups: mounts leak both ways</Text>
      <Text> </Text>
      <Text><C dim>Esc cancels. mntns holds the copy itself, by an fd (flag M): it ends with mntns, or with K.</C></Text>
    </Box>
  );
}

export function QuitDialog({ count, height, width }: { count: number; height: number; width: number }): React.ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold>mntns made {count} mount namespace{count === 1 ? '' : 's'} in this session.</Text>
      <Text> </Text>
      <Text>  <C c="green" bold>e</C> / Enter  end them and quit (default)</Text>
      <Text>  <C c="yellow" bold>k</C>          keep them (a process named mntns-kept holds them after mntns) and quit</Text>
      <Text>  Esc        back to mntns</Text>
    </Box>
  );
}

export function EnterDialog({ label, asItRunsByDefault, height, width }: { label: string; asItRunsByDefault: boolean; height: number; width: number }): React.ReactElement {
  const dflt = (yes: boolean): string => (yes ? ' / Enter' : '        ');
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold wrap="truncate">A shell in {label}</Text>
      <Text> </Text>
      <Text>The shell is the namespace's own binary ($SHELL there). How should it run?</Text>
      <Text>  <C c="green" bold>a</C>{dflt(asItRunsByDefault)}  as its processes run: all their namespaces (user, pid, net, ipc,</Text>
      <Text>               uts, cgroup, mount) and their uid/gid — a container's shell as it sees it</Text>
      <Text>  <C c="red" bold>h</C>{dflt(!asItRunsByDefault)}  as HOST ROOT: its mount namespace only; its binaries run with all of</Text>
      <Text>               this host's privileges and its pid, net and user namespaces</Text>
      <Text> </Text>
      <Text><C dim>Esc cancels.</C></Text>
    </Box>
  );
}

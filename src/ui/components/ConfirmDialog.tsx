/** The y/n question before a propagation change: where, what, before → after. */
import type React from 'react';
import { Box, Text } from 'ink';
import type { Mount, MountNamespace } from '../../model/types.js';
import { propagationTags } from '../../format/propagation.js';
import { sanitize } from '../../format/sanitize.js';
import { TAG_COLOUR } from '../../format/theme.js';
import { C } from '../theme.js';
import type { PendingAction } from '../view-state.js';
import { dialogLabel } from '../keys/keymap.js';
import type { ChangeEffect } from '../change-effect.js';

function afterTags(kind: PendingAction['kind']): string {
  return kind === 'slave' ? 'master:<its current peer group> (or private if it has none)' : kind;
}

const MAX_NAMED = 3;
const named = (labels: string[]): string => (labels.length > MAX_NAMED ? `${labels.slice(0, MAX_NAMED).join(', ')} and ${labels.length - MAX_NAMED} more` : labels.join(', '));

export function ConfirmDialog(props: {
  pending: PendingAction;
  ns: MountNamespace | null;
  mount: Mount | null;
  label: string;
  height: number;
  width: number;
  effect?: ChangeEffect | null;
}): React.ReactElement {
  const { pending, ns, mount, label, height, width, effect } = props;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold>Change propagation{pending.recursive ? ' (recursively)' : ''}?</Text>
      <Text> </Text>
      <Text wrap="truncate">
        <C dim>{'namespace  '}</C>
        {label}
      </Text>
      {ns?.initial ? (
        <Text wrap="truncate">
          <C c="red" bold>
            {'           this is the INITIAL (host) namespace: the change affects the whole system'}
          </C>
        </Text>
      ) : null}
      <Text wrap="truncate">
        <C dim>{'mount      '}</C>
        {mount ? `${sanitize(mount.target)}  (id ${mount.id}, ${sanitize(mount.fstype)})` : `id ${pending.mountId} (gone?)`}
      </Text>
      <Text wrap="truncate">
        <C dim>{'now        '}</C>
        {mount
          ? propagationTags(mount.propagation).map((t) => (
              <C key={t.text} c={TAG_COLOUR[t.kind]}>
                {t.text + ' '}
              </C>
            ))
          : '?'}
      </Text>
      <Text wrap="truncate">
        <C dim>{'after      '}</C>
        <C c={TAG_COLOUR[pending.kind === 'slave' ? 'master' : pending.kind]}>{afterTags(pending.kind)}</C>
        {pending.recursive ? '  — and every mount below it' : ''}
      </Text>
      {effect ? (
        <>
          <Text wrap="truncate">
            <C dim>{'touches    '}</C>
            {effect.touches === 1 ? '1 mount' : `${effect.touches} mounts (it and ${effect.touches - 1} below it)`}
          </Text>
          <Text wrap="truncate">
            <C dim>{'others     '}</C>
            {effect.stopsSending.length === 0 && effect.stopsReceiving.length === 0 ? (
              'no other namespace notices: nothing crosses through it now, or this change keeps it'
            ) : (
              <>
                {effect.stopsSending.length ? <C c="yellow">{`no longer receive from it: ${named(effect.stopsSending)}`}</C> : null}
                {effect.stopsSending.length && effect.stopsReceiving.length ? ' · ' : null}
                {effect.stopsReceiving.length ? <C c="cyan">{`it no longer receives from: ${named(effect.stopsReceiving)}`}</C> : null}
              </>
            )}
          </Text>
          {effect.command ? (
            <Text wrap="truncate">
              <C dim>{'same as    '}</C>
              {effect.command}
            </Text>
          ) : null}
        </>
      ) : null}
      <Text> </Text>
      <Text>
        <C c="green" bold>
          {dialogLabel('confirm', 'yes').split(' / ')[0]}
        </C>
        {' do it    '}
        <C c="red" bold>
          {dialogLabel('confirm', 'cancel')}
        </C>
        {' cancel'}
      </Text>
    </Box>
  );
}

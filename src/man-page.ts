/**
 * mntns(1), in roff, from the same lists as --help (cli-spec.ts) and the TUI's
 * help (the keymap): written into dist/man/ at build time, shipped in the
 * package, linked by `npm install -g` (package.json "man").
 */
import { COMMANDS, DESCRIPTION, ENVIRONMENT, EXAMPLES, EXIT_STATUS, OPTION_DOCS, SEE_ALSO, optionName } from './cli-spec.js';
import { DIALOG_KEYMAPS, KEYMAP, labelOf, type Binding, type DialogMode } from './ui/keys/keymap.js';

const DIALOG_TITLES: Record<DialogMode, string> = {
  unshare: 'u: the new namespace\u2019s propagation',
  enter: 'e: whose shell',
  quit: 'q, while namespaces mntns made are held',
  confirm: 'a change of propagation',
  search: '/: the search prompt',
};

/**
 * Text as roff reads it literally: backslashes and hyphens escaped (a bare `-`
 * is a hyphen that may break or turn into a dash; options want the minus), a
 * leading `.` or `'` defused, anything beyond ASCII by its code point.
 */
export function roff(text: string): string {
  const s = text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/[^\x20-\x7e\n]/gu, (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
  return s.replace(/^([.'])/gm, '\\&$1');
}

const tagged = (tag: string, text: string): string => `.TP\n.B ${roff(tag)}\n${roff(text)}`;

export function manPage(version: string): string {
  const cmd = (usage: string) => `mntns${usage ? ` ${usage}` : ''}`;
  return [
    `.TH MNTNS 1 "" "mntns ${roff(version)}" "User Commands"`,
    '.SH NAME',
    'mntns \\- a live terminal UI for Linux mount namespaces',
    '.SH SYNOPSIS',
    COMMANDS.map((c) => `.B ${roff(cmd(c.usage))}`).join('\n.br\n'),
    '.SH DESCRIPTION',
    roff(DESCRIPTION),
    '.SH COMMANDS',
    ...COMMANDS.map((c) => tagged(cmd(c.usage), c.more ? `${c.summary}. ${c.more}` : `${c.summary}.`)),
    '.SH OPTIONS',
    ...OPTION_DOCS.filter((o) => !o.hidden).map((o) => tagged(optionName(o), o.text)),
    '.SH KEYS',
    'In the TUI (? shows the same list):',
    ...KEYMAP.map((b) => tagged(labelOf(b), b.description)),
    '.PP',
    'In a dialog or the search prompt only its own keys count (and ^Z):',
    ...(Object.entries(DIALOG_KEYMAPS) as Array<[DialogMode, readonly Binding<string>[]]>).flatMap(([mode, bindings]) => [
      `.SS ${roff(DIALOG_TITLES[mode])}`,
      ...bindings.map((b) => tagged(labelOf(b), b.description)),
    ]),
    '.SH EXIT STATUS',
    ...EXIT_STATUS.map(([code, text]) => tagged(code, text)),
    '.SH ENVIRONMENT',
    ...ENVIRONMENT.map(([name, text]) => tagged(name, text)),
    '.SH EXAMPLES',
    ...EXAMPLES.map(([line, text]) => tagged(line, text)),
    '.SH SEE ALSO',
    SEE_ALSO.map((s) => {
      const [name, section] = s.split(/[()]/);
      return `.BR ${roff(name)} (${section})`;
    }).join(',\n'),
    '',
  ].join('\n');
}

/**
 * `mntns completion bash|zsh|fish`: the shell's completion script, made from
 * the one description of the command line (cli-spec.ts). The scripts run in
 * the user's shell: every word in them is ours, quoted for that shell; what
 * they offer at run time comes from /proc, lsns and the file system, and is
 * handed to the shell's own completion as data, never evaluated.
 */
import { COMMANDS, OPTION_DOCS, SHELLS, SUBCOMMANDS, TREE_COLUMN_NAMES, type OptionDoc, type Shell, type ValueKind } from './cli-spec.js';
import { EVENT_TYPES } from './output/watch-filter.js';

const SUMMARY = new Map(SUBCOMMANDS.map((s) => [s, COMMANDS.find((c) => c.usage.split(' ')[0] === s)?.summary ?? s]));
const shown = OPTION_DOCS.filter((o) => !o.hidden);
const NAMESPACES = 'lsns -n -r -t mnt -o NS 2>/dev/null';
const fquote = (s: string): string => `'${s.replace(/[\\']/g, '\\$&')}'`;
/** A comma list's words: zsh's _sequence, fish's __fish_complete_list. */
const listActions = (words: readonly string[]): { zsh: string; fish: string } => ({
  zsh: `:LIST:_sequence compadd - ${words.join(' ')}`,
  fish: ` -x -a ${fquote(`(__fish_complete_list , "string split ' ' '${words.join(' ')}'")`)}`,
});

/** What each kind of option value completes to: zsh's _arguments action, fish's `complete` flags (bash: its case in bash()). */
const VALUE_ACTIONS: Record<ValueKind, { zsh: string; fish: string }> = {
  pid: { zsh: ':PID:_pids', fish: ' -x -a "(__fish_complete_pids)"' },
  ns: { zsh: `:INODE:{compadd -- $(${NAMESPACES})}`, fish: ` -x -a "(${NAMESPACES})"` },
  dir: { zsh: ':DIR:_directories', fish: ' -x -a "(__fish_complete_directories)"' },
  file: { zsh: ':FILE:_files', fish: ' -r -F' },
  number: { zsh: ':N: ', fish: ' -x' },
  columns: listActions(TREE_COLUMN_NAMES),
  types: listActions(EVENT_TYPES),
};

/** An option's text cut to what fits a completion menu: up to its first parenthesis or semicolon. */
function brief(text: string): string {
  return text.split(/ \(|;/)[0];
}

const single = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(): string {
  const flags = shown.flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]);
  const names = (kind: ValueKind) =>
    shown
      .filter((o) => o.values === kind)
      .flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])])
      .join('|');
  return `# bash completion for mntns: source <(mntns completion bash)
# A comma list's words (-o, --type): complete the last one, keep what is before it.
_mntns_list() {
  local pre=
  [[ $cur == *,* ]] && pre=\${cur%,*},
  COMPREPLY=($(compgen -P "$pre" -W "$1" -- "\${cur##*,}"))
  compopt -o nospace 2>/dev/null
}
_mntns() {
  local cur prev IFS=$'\\n'
  cur=\${COMP_WORDS[COMP_CWORD]}
  prev=\${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    ${names('pid')})
      COMPREPLY=($(compgen -W "$(cd /proc && printf '%s\\n' [0-9]*)" -- "$cur")); return ;;
    ${names('ns')})
      COMPREPLY=($(compgen -W "$(${NAMESPACES})" -- "$cur")); return ;;
    ${names('dir')})
      compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
    ${names('file')})
      compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${names('columns')})
      _mntns_list ${single(TREE_COLUMN_NAMES.join('\n'))}; return ;;
    ${names('types')})
      _mntns_list ${single(EVENT_TYPES.join('\n'))}; return ;;
    ${names('number')})
      return ;;
  esac
  local sub= w
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case $w in ${SUBCOMMANDS.join('|')}) sub=$w; break ;; esac
  done
  if [[ $sub == completion ]]; then
    COMPREPLY=($(compgen -W ${single(SHELLS.join('\n'))} -- "$cur")); return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W ${single(flags.join('\n'))} -- "$cur")); return
  fi
  case $sub in
    '') COMPREPLY=($(compgen -W ${single(SUBCOMMANDS.join('\n'))} -- "$cur")) ;;
    diff|where) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}
complete -F _mntns mntns
`;
}

/** zsh's _arguments wants [ ] : \\ escaped in a description. */
const zdesc = (s: string): string => brief(s).replace(/[[\]:\\]/g, '\\$&');

function zshSpec(o: OptionDoc): string {
  const body = `[${zdesc(o.text)}]${o.values ? VALUE_ACTIONS[o.values].zsh : ''}`;
  if (!o.short) return single(`--${o.long}${body}`);
  return `${single(`(-${o.short} --${o.long})`)}{-${o.short},--${o.long}}${single(body)}`;
}

function zsh(): string {
  const subs = SUBCOMMANDS.map((s) => single(`${s}:${zdesc(SUMMARY.get(s)!)}`)).join(' ');
  return `#compdef mntns
# zsh completion for mntns: mntns completion zsh > "\${fpath[1]}/_mntns"
_mntns() {
  local -a subcommands=(${subs})
  local curcontext=$curcontext state line
  _arguments -s -S \\
    ${shown.map(zshSpec).join(' \\\n    ')} \\
    '1: :->command' '*:: :->operand'
  case $state in
    command) _describe -t commands 'mntns command' subcommands ;;
    operand)
      case $line[1] in
        completion) compadd -- ${SHELLS.join(' ')} ;;
        diff|where) _files ;;
      esac ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _mntns "$@"; else compdef _mntns mntns; fi
`;
}

function fish(): string {
  const none = `not __fish_seen_subcommand_from ${SUBCOMMANDS.join(' ')}`;
  const lines = [
    '# fish completion for mntns: mntns completion fish > ~/.config/fish/completions/mntns.fish',
    'complete -c mntns -f',
    ...SUBCOMMANDS.map((s) => `complete -c mntns -n ${fquote(none)} -a ${s} -d ${fquote(brief(SUMMARY.get(s)!))}`),
    `complete -c mntns -n ${fquote('__fish_seen_subcommand_from completion')} -x -a ${fquote(SHELLS.join(' '))}`,
    `complete -c mntns -n ${fquote('__fish_seen_subcommand_from diff where')} -F`,
    ...shown.map((o) => `complete -c mntns${o.short ? ` -s ${o.short}` : ''} -l ${o.long}${o.values ? VALUE_ACTIONS[o.values].fish : ''} -d ${fquote(brief(o.text))}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell): string {
  return { bash, zsh, fish }[shell]();
}

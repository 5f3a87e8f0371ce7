/**
 * mntns(1) and the completions, as people use them: the man page rendered by
 * man(1), the completion scripts loaded into real bash, fish and zsh (zsh on a
 * pty: its completion only runs in an interactive line editor). All are made
 * from src/cli-spec.ts; these tests check they say what the parser takes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { OPTION_DOCS, SUBCOMMANDS, optionName } from '../../src/cli-spec.js';
import { roff } from '../../src/man-page.js';
import { KEYMAP, labelOf } from '../../src/ui/keys/keymap.js';
import { CLI, REPO } from '../helpers/lab.js';
import { EMPTY_HOME, Term } from '../helpers/terminal.js';

const pexec = promisify(execFile);
const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const MAN = `${REPO}/dist/man/mntns.1`;
const dir = mkdtempSync(`${tmpdir()}/mntns-manual.`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A file name a completion must hand over whole: spaces, a quote, $(…).
const odd = `${dir}/a dir/it's $(touch pwned).json`;
mkdirSync(`${dir}/a dir`);
writeFileSync(odd, '{}');
const shown = OPTION_DOCS.filter((o) => !o.hidden);

/** A suite's title says why it is skipped, when it is. */
const needs = (cmd: string, title: string): string => (has(cmd) ? title : `${title} [skipped: ${cmd} is not installed]`);

describe.skipIf(!has('man'))(needs('man', 'mntns(1)'), () => {
  it('man -l renders every command, option and key, with no roff warning', async () => {
    const { stdout, stderr } = await pexec('man', ['-l', MAN], { env: { ...process.env, MANWIDTH: '100', MAN_KEEP_FORMATTING: '', MANPAGER: 'cat', PAGER: 'cat' } });
    expect(stderr).toBe('');
    const text = stdout.replace(/.\x08/g, '').replace(/\u2010/g, '-');
    // man hyphenates long words at line ends; the whole words are on one line each, by their tag.
    for (const o of shown) expect(text).toContain(optionName(o));
    for (const s of SUBCOMMANDS) expect(text).toMatch(new RegExp(`^ +mntns ${s}\\b`, 'm'));
    for (const b of KEYMAP) expect(text, b.command).toContain(labelOf(b));
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'KEYS', 'EXIT STATUS', 'EXAMPLES', 'SEE ALSO']) expect(text).toMatch(new RegExp(`^${section}$`, 'm'));
    expect(text).toContain('findmnt(8)');
  });
  it.skipIf(!has('groff'))(needs('groff', 'groff finds nothing to warn about'), async () => {
    const { stderr } = await pexec('groff', ['-man', '-ww', '-z', MAN]);
    expect(stderr).toBe('');
  });
  it('--help and the man page list the same options; mntns takes each of them', async () => {
    const help = (await pexec(process.execPath, [CLI, '--help'])).stdout;
    const page = readFileSync(MAN, 'utf8');
    for (const o of shown) {
      expect(help).toContain(optionName(o));
      expect(page).toContain(`.B ${roff(optionName(o))}\n`);
    }
    const flags = [...help.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
    expect(flags).toEqual(shown.map((o) => o.long));
  });
});

/** What bash's completion offers for the words of a command line (the last one being completed). */
async function bashComplete(...words: string[]): Promise<string[]> {
  const script = `source <("$MNTNS_NODE" "$MNTNS_CLI" completion bash)
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _mntns; printf '%s\\0' "\${COMPREPLY[@]}"`;
  const { stdout } = await pexec('bash', ['--norc', '--noprofile', '-c', script, 'bash', ...words], { cwd: dir, env: { ...process.env, MNTNS_NODE: process.execPath, MNTNS_CLI: CLI } });
  return stdout.split('\0').filter(Boolean);
}

describe('bash completion', () => {
  it('offers the commands, the flags, the values of a flag', async () => {
    expect(await bashComplete('mntns', '')).toEqual([...SUBCOMMANDS]);
    expect(await bashComplete('mntns', '--tr')).toEqual(['--tree']);
    expect(await bashComplete('mntns', 'watch', '--j')).toEqual(['--json', '--journal']);
    expect(await bashComplete('mntns', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await bashComplete('mntns', '--tree', '-o', 'TARGET,SO')).toEqual(['TARGET,SOURCE']);
    expect(await bashComplete('mntns', 'watch', '--type', 'mount,namespace-r')).toEqual(['mount,namespace-removed']);
    expect(await bashComplete('mntns', '--pid', String(process.pid))).toContain(String(process.pid));
  });
  it('hands a file name with spaces, a quote and $(…) over whole, running nothing', async () => {
    expect(await bashComplete('mntns', '--from', `${dir}/a dir/it`)).toEqual([odd]);
    expect(await bashComplete('mntns', 'diff', `${dir}/a d`)).toEqual([`${dir}/a dir`]);
    expect(existsSync(`${dir}/pwned`)).toBe(false);
  });
  it.skipIf(!has('lsns'))(needs('lsns', 'offers the mount namespaces for --ns'), async () => {
    const inode = String(statSync('/proc/self/ns/mnt').ino);
    expect(await bashComplete('mntns', '--ns', inode.slice(0, 6))).toContain(inode);
  });
});

describe.skipIf(!has('fish'))(needs('fish', 'fish completion'), () => {
  const complete = async (line: string): Promise<string[]> => {
    const script = `"$MNTNS_NODE" "$MNTNS_CLI" completion fish | source; complete -C $argv[1]`;
    const { stdout } = await pexec('fish', ['--no-config', '-c', script, line], { cwd: dir, env: { ...process.env, MNTNS_NODE: process.execPath, MNTNS_CLI: CLI } });
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]);
  };
  it('offers the commands, flags and values', async () => {
    expect((await complete('mntns ')).sort()).toEqual([...SUBCOMMANDS].sort());
    expect(await complete('mntns --tr')).toEqual(['--tree']);
    expect(await complete('mntns -o TARGET,SO')).toEqual(['TARGET,SOURCE']);
    expect((await complete('mntns completion ')).sort()).toEqual(['bash', 'fish', 'zsh']);
    expect(await complete(`mntns --from '${dir}/a dir/it'`)).toEqual([odd]);
  });
});

describe.skipIf(!has('zsh'))(needs('zsh', 'zsh completion, on a pty'), () => {
  it('Tab completes a flag, a column list and a command', { timeout: 30_000 }, async () => {
    const zdir = `${dir}/zsh`;
    mkdirSync(zdir);
    writeFileSync(`${zdir}/_mntns`, (await pexec(process.execPath, [CLI, 'completion', 'zsh'])).stdout);
    // -f: no dotfiles; the completion system from the script's directory, as fpath users install it.
    const term = new Term([], { argv: ['zsh', '-f', '-i'], env: { PS1: '$ ', HOME: EMPTY_HOME, ZDOTDIR: zdir } });
    try {
      await term.waitFor(/\$ $/m);
      term.pty.write(`fpath=(${zdir} $fpath); autoload -U compinit; compinit -u -D\r`);
      await term.waitFor(/\$ .*\n\$ $/m);
      term.pty.write('mntns --tre\t');
      await term.waitFor(/mntns --tree $/m);
      term.pty.write('-o TARGET,SOU\t');
      await term.waitFor(/-o TARGET,SOURCE/);
      term.pty.write('\x15mntns compl\t');
      await term.waitFor(/^\$ mntns completion +$/m);
    } finally {
      term.kill();
      await term.wait();
    }
  });
});

/**
 * Installed like a real tool: `npm pack` of a copy of this tree (its prepack
 * builds dist/ from nothing there, leaving ours alone while other tests run
 * it), `npm install -g` of the tarball into a throwaway prefix, and the
 * `mntns` that lands on that prefix's PATH run from there.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lab.js';

const pexec = promisify(execFile);
const dir = mkdtempSync(`${tmpdir()}/mntns-pack.`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the package', () => {
  it('npm pack → npm install -g into a fresh prefix: mntns on its PATH, runtime dependencies only, koffi with its binary', { timeout: 240_000 }, async () => {
    const tree = `${dir}/tree`;
    for (const f of ['src', 'scripts', 'schema', 'package.json', 'package-lock.json', 'tsconfig.json', 'README.md']) cpSync(`${REPO}/${f}`, `${tree}/${f}`, { recursive: true });
    symlinkSync(`${REPO}/node_modules`, `${tree}/node_modules`);
    const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
    const packed = await pexec('npm', ['pack', '--pack-destination', dir], { cwd: tree, env, maxBuffer: 1 << 26 });
    const tgz = readdirSync(dir).find((f) => /^mntns-.*\.tgz$/.test(f));
    expect(tgz, packed.stderr).toBeDefined();
    const prefix = `${dir}/prefix`;
    await pexec('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', `${dir}/${tgz}`], { env, maxBuffer: 1 << 26 });
    const bin = `${prefix}/bin/mntns`;
    const version = (await pexec(bin, ['--version'], { env: { ...env, PATH: `${prefix}/bin:${process.env.PATH}` } })).stdout;
    expect(version).toBe(`mntns ${JSON.parse((await pexec('npm', ['pkg', 'get', 'version'], { cwd: REPO })).stdout)}\n`);
    const snap = JSON.parse((await pexec(bin, ['--json'], { maxBuffer: 1 << 28 })).stdout) as { version: number; namespaces: unknown[] };
    expect(snap.version).toBe(1);
    expect(snap.namespaces.length).toBeGreaterThan(0);
    const installed = `${prefix}/lib/node_modules/mntns`;
    // Built at pack time, without source maps or the build stamp; no dev dependency came along.
    expect(existsSync(`${installed}/dist/cli.js`)).toBe(true);
    expect(existsSync(`${installed}/dist/cli.js.map`)).toBe(false);
    expect(existsSync(`${installed}/src`)).toBe(false);
    for (const dev of ['vitest', 'typescript', 'node-pty', 'eslint']) expect(existsSync(`${installed}/node_modules/${dev}`), dev).toBe(false);
    // mntns(1) where man finds it, the completions and the JSON schemas in the package.
    expect(existsSync(`${prefix}/share/man/man1/mntns.1`)).toBe(true);
    for (const f of ['dist/completions/mntns', 'dist/completions/_mntns', 'dist/completions/mntns.fish', 'schema/snapshot.schema.json', 'schema/event.schema.json'])
      expect(existsSync(`${installed}/${f}`), f).toBe(true);
    expect((await pexec(bin, ['completion', 'bash'])).stdout).toContain('complete -F _mntns mntns');
    // koffi's prebuilt binary for this machine (its own optional dependency): --json above called through it.
    expect(existsSync(`${installed}/node_modules/@koromix/koffi-${process.platform}-${process.arch}/${process.platform}_${process.arch}/koffi.node`)).toBe(true);
  });
});

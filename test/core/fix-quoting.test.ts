/**
 * Property test of the fix catalog (issue 12 item 1, issue 9 item 1): every fix, every parameter, a corpus of hostile
 * values. (a) a value that fails validation never reaches the command text (a placeholder does); (b) whatever reaches
 * it is one correctly quoted token: the command, tokenized (strict tokenizers here, real bash, and PowerShell's own
 * parser when pwsh is on PATH), gives exactly the argument vectors the catalog meant.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIX_PARAMETERS, fixes, type FixParameter } from '../../core/catalog/fixes';
import { argvOf, quotePosix, quotePowerShell } from '../../core/text/shell';
import { redact } from '../../core/text/redact';
import type { Fix, FixCommand } from '../../core/model/types';
import { bashArgv, hasPwsh, pwshArgv, tokenizeBash, tokenizePowerShell, type Statement } from './shell-tokenizers';

const markers = mkdtempSync(join(tmpdir(), 'wac-doctor-markers-'));

/** Hostile fragments: shell syntax of both shells, quotes of every kind, encodings, sizes. */
const HOSTILE: readonly string[] = [
  '', '()', '(Restart-Computer)', '$(Restart-Computer)', '$(touch ' + join(markers, 'm1') + ')', '`touch ' + join(markers, 'm2') + '`',
  ';', '; touch ' + join(markers, 'm3'), '&', '&& touch ' + join(markers, 'm4'), '|', '| touch ' + join(markers, 'm5'), '\'', '\'\'', '"', '""',
  '\n', '\r\nStart-Process calc', '\u2018', '\u2019', '\u201a', '\u201b', '\u201c', '\u201d', '\u201e', '\u2018;calc;\u2019', '%', '%PATH%', '$env:X', '${env:X}',
  '@x', ',', '22,6516', '#', '<', '>', '^', '!', '\\', '/', '*', '?', '~', '{}', '[]', '-', '--yes', '--%', 'x'.repeat(5000), ' ', '\t', '\u00a0',
  '\u0000', '\u001b[2J', '\u2028', '\u2013rf', 'é', 'rg-ok', '.', '..', '0', '-1', '65536', '1.5', 'NaN', '6516', '6516; calc', '0x1974',
];

const SUB = '00000000-1111-2222-3333-444444444444';
const ID = (rg: string, machine: string): string => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.HybridCompute/machines/${machine}`;
/** Wraps a fragment in markers, so any piece of it in a command is found. */
const Q = (f: string): string => `Q9${f}Q9`;

// The test's own statement of what may pass (ARM name rules, the endpoint catalog): independent of core/catalog/fix-values.
const validRg = (s: string): boolean => /^[\p{L}\p{N}_.()-]{1,90}$/u.test(s) && !s.endsWith('.') && !s.startsWith('-');
const validMachine = (s: string): boolean => /^[A-Za-z0-9_.-]{1,54}$/.test(s) && !s.startsWith('-');
const CATALOG = ['wac.azure.com', 'pas.windows.net', 'gbl.his.arc.azure.com', 'westeurope.service.waconazure.com', 'azgnrelay-westeurope-l1.servicebus.windows.net'];

interface Case {
  label: string;
  args: unknown[];
  /** Text that must not be in any command (validation refused it). */
  forbidden: string[];
  /** [flag, value]: the word after `flag` must be exactly `value`. */
  expect?: Array<[string, string]>;
}

const DEFAULTS: Record<FixParameter, unknown> = {
  resourceId: ID('rg-arc', 'srv01'), port: 6516, ports: [22, 6516], proxyUrl: 'http://proxy.contoso.com:8080', hosts: ['wac.azure.com'],
  region: 'westeurope', service: 'himds', gatewayService: 'WindowsAdminCenter', provider: 'Microsoft.HybridCompute', platform: 'windows', flag: false,
  fixes: [], text: 'Do it by hand.', suites: ['TLS_AES_256_GCM_SHA384'], gatewayHost: 'contoso-gw.gw.arc.azure.com',
};

/** Hostile values for one parameter kind, each with what the commands must (not) contain. */
function hostileFor(kind: FixParameter): Array<Omit<Case, 'label' | 'args'> & { arg: unknown }> {
  const out: Array<Omit<Case, 'label' | 'args'> & { arg: unknown }> = [];
  for (const f of HOSTILE) {
    switch (kind) {
      case 'resourceId': {
        const rg = Q(f);
        out.push(validRg(rg)
          ? { arg: ID(rg, 'srv01'), forbidden: [], expect: [['--resource-group', rg]] }
          : { arg: ID(rg, 'srv01'), forbidden: ['Q9'], expect: [['--resource-group', '<resource-group>']] });
        const m = Q(f);
        out.push(validMachine(m)
          ? { arg: ID('rg-arc', m), forbidden: [], expect: [['--machine-name', m]] }
          : { arg: ID('rg-arc', m), forbidden: ['Q9'], expect: [['--machine-name', '<machine-name>']] });
        out.push({ arg: f, forbidden: [] }, { arg: Q(f), forbidden: ['Q9'] });
        out.push({ arg: ID(`rg${f}`, 'srv01').replace(SUB, Q(f)), forbidden: ['Q9'] });
        break;
      }
      case 'port': case 'ports': {
        // Strings where numbers belong (an untyped caller), and numbers out of range.
        for (const bad of [f, Q(f), Number(f)]) out.push({ arg: kind === 'port' ? bad : [22, bad], forbidden: ['Q9'] });
        break;
      }
      case 'proxyUrl':
        out.push({ arg: `http://user:${Q(f)}@proxy.contoso.com:8080`, forbidden: ['Q9', 'user'] });
        // Upper-case Q9 never survives: a host is lower-cased, anything before the last @ is dropped.
        out.push({ arg: `http://${Q(f)}:8080`, forbidden: ['Q9'] });
        out.push({ arg: `http://proxy.contoso.com:8080/${Q(f)}`, forbidden: ['Q9'] });
        out.push({ arg: Q(f), forbidden: ['Q9', 'q9'] });
        break;
      case 'hosts':
        out.push({ arg: [`${Q(f)}.example.net`, 'wac.azure.com'], forbidden: ['Q9', 'q9', 'example.net'] });
        out.push({ arg: [`wac.azure.com${Q(f)}`], forbidden: ['Q9', 'q9'] }, { arg: [f], forbidden: [] });
        break;
      case 'region':
        out.push({ arg: Q(f), forbidden: ['Q9', 'q9'], expect: [['--location', '<region>']] });
        break;
      case 'service': case 'gatewayService': case 'provider':
        out.push({ arg: `himds${Q(f)}`, forbidden: ['Q9'] });
        break;
      case 'platform': case 'flag': case 'text':
        out.push({ arg: Q(f), forbidden: ['Q9'] });
        break;
      case 'suites':
        out.push({ arg: [`TLS_AES_256_GCM_SHA384${Q(f)}`], forbidden: ['Q9'] }, { arg: [Q(f), 'TLS_AES_128_GCM_SHA256'], forbidden: ['Q9'] });
        break;
      case 'gatewayHost':
        // A label of letters, digits and hyphens is a valid gateway name; anything else must not reach the command.
        out.push({ arg: `${Q(f)}.gw.arc.azure.com`, forbidden: /^[A-Za-z0-9-]{1,63}$/.test(Q(f)) ? [] : ['Q9', 'q9'] });
        break;
      case 'fixes':
        out.push({ arg: [fixes.reinstallExtension(ID(Q(f), 'srv01')), fixes.setAgentProxy(`http://u:${Q(f)}@p.contoso.com:1`)], forbidden: validRg(Q(f)) ? [] : ['Q9'] });
        break;
    }
  }
  return out;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const [name, kinds] of Object.entries(FIX_PARAMETERS) as Array<[keyof typeof fixes, readonly FixParameter[]]>) {
    kinds.forEach((kind, i) => {
      for (const h of hostileFor(kind)) {
        const args = kinds.map((k, j) => (j === i ? h.arg : DEFAULTS[k]));
        all.push({ label: `${name}#${i} (${kind}) = ${JSON.stringify(h.arg).slice(0, 80)}`, args, forbidden: h.forbidden, ...(h.expect ? { expect: h.expect } : {}) });
      }
    });
  }
  // The reported cases by name.
  all.push({ label: 'rg(Restart-Computer)', args: [ID('rg(Restart-Computer)', 'srv01'), 6516], forbidden: [' rg(Restart-Computer) '], expect: [['--resource-group', 'rg(Restart-Computer)']] });
  all.push({ label: 'proxy with \\ and @ in the credentials', args: ['http://contoso\\svc-arc:S3cr3tP@ss@proxy.contoso.com:8080'], forbidden: ['contoso\\', 'S3cr3t', 'http://contoso\''] });
  return all;
}

const call = (name: string, args: unknown[]): Fix => {
  const fn = (fixes as unknown as Record<string, (...a: unknown[]) => Fix>)[name]!;
  return name === 'combine' ? fn(...(args[0] as Fix[])) : fn(...args);
};

function wordAfter(argv: string[][], flag: string): string | undefined {
  for (const st of argv) {
    const i = st.indexOf(flag);
    if (i >= 0) return st[i + 1];
  }
  return undefined;
}

describe('fix catalog quoting (property test)', function () {
  this.timeout(180000);
  const seen = new Map<string, FixCommand>();
  const results: Array<{ c: Case; fix: Fix }> = [];

  before(() => {
    for (const c of cases()) {
      const name = c.label === 'rg(Restart-Computer)' ? 'reinstallExtension' : c.label.startsWith('proxy with') ? 'setAgentProxy' : c.label.split('#')[0]!;
      const fix = call(name, c.args);
      results.push({ c, fix });
      for (const cmd of fix.commands) seen.set(`${cmd.shell}\0${cmd.command}`, cmd);
    }
  });

  it('lists the parameters of every fix in the catalog', () => {
    assert.deepEqual(Object.keys(FIX_PARAMETERS).sort(), Object.keys(fixes).sort());
    assert.ok(results.length > 1000, `${results.length} cases`);
  });

  it('(a) refused values never reach the command text; placeholders stand in', () => {
    for (const { c, fix } of results) {
      for (const cmd of fix.commands) {
        for (const bad of c.forbidden) assert.ok(!cmd.command.includes(bad), `${c.label}: ${JSON.stringify(bad)} in ${cmd.command}`);
        assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(cmd.command), `${c.label}: control character in ${JSON.stringify(cmd.command)}`);
        assert.ok(argvOf(cmd), `${c.label}: catalog commands carry their argv`);
      }
      for (const bad of c.forbidden.filter((b) => b.length > 3)) assert.ok(!fix.summary.includes(bad), `${c.label}: ${bad} in the summary`);
      for (const [flag, want] of c.expect ?? []) {
        const withFlag = fix.commands.filter((x) => argvOf(x)!.some((st) => st.includes(flag)));
        for (const x of withFlag) assert.equal(wordAfter(argvOf(x)!, flag), want, `${c.label}: ${x.command}`);
      }
    }
  });

  it('names catalog hosts, quoted, in the host commands', () => {
    for (const name of ['openOutbound', 'fixPrivateDns', 'excludeFromTlsInspection'] as const) {
      const fix = fixes[name]([...CATALOG, 'attacker-c2.example.net']);
      const words = fix.commands.flatMap((c) => argvOf(c)!.flat());
      for (const h of CATALOG) assert.ok(words.includes(h) || words.includes(`https://${h}`), `${name}: ${h}`);
      assert.ok(words.some((w) => w === '<host>' || w === '<https://host>'), `${name}: the outside host is a placeholder`);
      assert.ok(!JSON.stringify(fix).includes('attacker'), `${name}: ${JSON.stringify(fix)}`);
    }
  });

  it('no catalog command looks like a secret to the redactor (the extension refuses to run those)', () => {
    for (const cmd of seen.values()) assert.equal(redact(cmd.command), cmd.command);
  });

  it('(b) every command tokenizes (strictly) to the argv the catalog meant', () => {
    for (const cmd of seen.values()) {
      const tokens: Statement[] = cmd.shell === 'bash' ? tokenizeBash(cmd.command) : tokenizePowerShell(cmd.command);
      assert.deepEqual(tokens.map((t) => t.argv), argvOf(cmd), cmd.command);
    }
  });

  it('(b) real bash reads the bash commands as the same argv, and runs nothing', () => {
    const bash = [...seen.values()].filter((c) => c.shell === 'bash');
    const statements = bash.flatMap((c) => tokenizeBash(c.command).map((t, i) => ({ source: t.source, want: argvOf(c)![i] })));
    const got = bashArgv(statements.map((s) => s.source));
    statements.forEach((s, i) => assert.deepEqual(got[i], s.want, s.source));
    assert.deepEqual(readdirSync(markers), [], 'a marker file was created: something ran');
  });

  it('(b) PowerShell\'s parser reads the PowerShell and az commands as the same argv (when pwsh is on PATH)', function () {
    if (!hasPwsh()) {
      console.log('      (pwsh is not on PATH: PowerShell\'s own parser not checked; the strict tokenizer above was)');
      this.skip();
    }
    const list = [...seen.values()].filter((c) => c.shell !== 'bash');
    const parsed = pwshArgv(list.map((c) => c.command));
    list.forEach((c, i) => {
      assert.equal(parsed[i]!.errors, 0, c.command);
      assert.deepEqual(parsed[i]!.statements, argvOf(c), c.command);
    });
  });
});

describe('shell quoting of arbitrary values', function () {
  this.timeout(120000);
  const values = [...HOSTILE.filter((v) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v)), 'it\'s', '\u2018a\u2019\u201a\u201b\'', 'a\'\'b', '\'\'\'', ' leading and trailing '];

  it('refuses control characters rather than quoting them', () => {
    for (const bad of ['a\nb', 'a\rb', '\u0000', '\u001b[2J', 'a\u2028b']) {
      assert.throws(() => quotePowerShell(bad));
      assert.throws(() => quotePosix(bad));
    }
  });

  it('POSIX single quotes: bash gives back each value as one word', () => {
    const got = bashArgv(values.map((v) => `x ${quotePosix(v)} y`));
    values.forEach((v, i) => assert.deepEqual(got[i], ['x', v, 'y'], JSON.stringify(v)));
    values.forEach((v) => assert.deepEqual(tokenizeBash(`x ${quotePosix(v)} y`)[0]!.argv, ['x', v, 'y']));
    assert.deepEqual(readdirSync(markers).length, 0);
  });

  it('PowerShell single quotes (with the unicode quotes doubled): one word each', function () {
    values.forEach((v) => assert.deepEqual(tokenizePowerShell(`x ${quotePowerShell(v)} y`)[0]!.argv, ['x', v, 'y'], JSON.stringify(v)));
    // Without doubling the unicode quotes, ’ ends the string and `calc` is a command of its own.
    assert.deepEqual(tokenizePowerShell(`x '${'a\u2019;calc;\u2018b'}' y`).map((t) => t.argv), [['x', 'a'], ['calc'], ['b', 'y']]);
    if (!hasPwsh()) {
      console.log('      (pwsh is not on PATH: PowerShell\'s own parser not checked)');
      this.skip();
    }
    const parsed = pwshArgv(values.map((v) => `x ${quotePowerShell(v)} y`));
    values.forEach((v, i) => assert.deepEqual(parsed[i]!.statements, [['x', v, 'y']], JSON.stringify(v)));
  });
});

// The marker directory must stay empty for the whole file; checked once more at the end.
after(() => {
  const left = existsSync(markers) ? readdirSync(markers) : [];
  rmSync(markers, { recursive: true, force: true });
  assert.deepEqual(left, [], 'a marker file was created: something ran');
});

/**
 * The CLI end to end, as a subprocess of the compiled bin (npm test builds first): exit codes, every
 * format, bad input, redaction.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { RULES } from '../rules';
import { TOOL_VERSION } from '../core/model/report';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');
const SAMPLES = join(ROOT, 'fixtures', 'samples');
const files = (dir: string): string[] => readdirSync(join(SAMPLES, dir)).sort().map((f) => join(SAMPLES, dir, f));

interface Run { code: number | null; stdout: string; stderr: string }
function cli(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', input: input ?? '', env: { ...process.env, NO_COLOR: '' }, timeout: 15000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One clear line on stderr, no stack trace. */
function assertOneLineError(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe('wac-doctor CLI', function () {
  this.timeout(30000);
  let tmp: string;
  before(() => {
    assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` (npm test does) before these tests');
    tmp = mkdtempSync(join(tmpdir(), 'wac-doctor-cli-'));
  });

  it('--version matches package.json', () => {
    const r = cli(['--version']);
    assert.equal(r.code, 0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(r.stdout.trim(), `wac-doctor ${pkg.version}`);
    assert.equal(TOOL_VERSION, pkg.version);
  });

  it('--help lists the commands; no arguments prints the usage on stderr and exits 2 (issue 9 item 14)', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /wac-doctor analyze <path\|-> /);
    assert.match(r.stdout, /Exit codes: 0 .* 1 .* 2 /);
    const none = cli([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /wac-doctor analyze <path\|-> /);
  });

  it('rules lists every rule id, as text and JSON', () => {
    const text = cli(['rules']);
    assert.equal(text.code, 0);
    for (const r of RULES) assert.match(text.stdout, new RegExp(`^  ${r.meta.id} `, 'm'));
    const json = JSON.parse(cli(['rules', '--format', 'json']).stdout) as Array<{ id: string; docsUrl: string }>;
    assert.deepEqual(json.map((e) => e.id), RULES.map((r) => r.meta.id));
    assert.equal(json.length, RULES.length);
    assert.ok(json.some((e) => e.id === 'arc-connectivity'));
    assert.ok(json.every((e) => e.docsUrl.endsWith(`/docs/rules/${e.id}.md`)));
  });

  it('explain prints a rule; an unknown id is a usage error', () => {
    const r = cli(['explain', 'incoming-ports']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^incoming-ports: /);
    assert.match(r.stdout, /incomingconnections\.ports/);
    // The fixes the rule can propose, with placeholders for what inputs would fill in (issue 9 item 11).
    assert.match(r.stdout, /\nFixes it can propose:\n/);
    assert.match(r.stdout, /PowerShell: azcmagent config set incomingconnections\.enabled true/);
    assert.doesNotMatch(r.stdout, /\*\*/, 'no raw Markdown emphasis');
    assertOneLineError(cli(['explain', 'no-such-rule']), /^wac-doctor: unknown rule id 'no-such-rule'; see wac-doctor rules$/);
  });

  it('usage errors are one line and exit 2', () => {
    assertOneLineError(cli(['analyze', '--bogus', 'x']), /^wac-doctor: unknown option '--bogus' \(see wac-doctor --help\)$/);
    assertOneLineError(cli(['frobnicate']), /unknown command 'frobnicate'/);
    assertOneLineError(cli(['analyze']), /needs at least one file/);
    assertOneLineError(cli(['analyze', '--port', '70000', 'x']), /--port must be 1-65535 \(got '70000'\)/);
    assertOneLineError(cli(['analyze', '--port', '6516;calc', 'x']), /--port/);
    assertOneLineError(cli(['analyze', '--format', 'xml', 'x']), /--format 'xml': expected one of text, json, sarif, junit, markdown/);
    assertOneLineError(cli(['analyze', '--only', 'nope', 'x']), /unknown rule id 'nope'/);
    assertOneLineError(cli(['rules', '--port', '1']), /--port does not apply to 'rules'/);
  });

  it('usage slips get one line, exit 2, and a "did you mean" when a name is close (issue 9 items 13, 14)', () => {
    const show = join(SAMPLES, 'healthy', readdirSync(join(SAMPLES, 'healthy')).sort()[0]!);
    assertOneLineError(cli(['analyse', show]), /^wac-doctor: unknown command 'analyse'; did you mean analyze\?/);
    assertOneLineError(cli(['analyze', '--verbos', show]), /^wac-doctor: unknown option '--verbos'; did you mean --verbose\?/);
    assertOneLineError(cli(['analyze', '--port', '-1', show]), /^wac-doctor: --port must be 1-65535 \(got '-1'\)$/);
    assertOneLineError(cli(['analyze', '-p', '-1', show]), /^wac-doctor: --port must be 1-65535/);
    assertOneLineError(cli(['analyze', '--only', ',', show]), /^wac-doctor: --only ',' names no rule/);
    assertOneLineError(cli(['analyze', '--only', 'memory', '--skip', 'memory', show]), /selects no rule/);
    assertOneLineError(cli(['check', '--region', 'xx']), /^wac-doctor: --region 'xx': not a known Azure region; nearest: /);
    assertOneLineError(cli(['check', '--region', 'westeurop']), /nearest: westeurope, /);
  });

  it('inputs refused by their bytes: empty, a .zip that is not one, a PDF (issue 9 item 14)', () => {
    const empty = join(tmp, 'empty.txt');
    writeFileSync(empty, '');
    assertOneLineError(cli(['analyze', empty]), /empty\.txt: empty file; expected a file of command output$/);
    const fake = join(tmp, 'logs.zip');
    writeFileSync(fake, 'this is a ticket, not a zip\n');
    assertOneLineError(cli(['analyze', fake]), /logs\.zip: not a zip archive/);
    const pdf = join(tmp, 'ticket.pdf');
    // Uncompressed: the text is right there, and still must not be parsed as if pasted.
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj << >> stream\nAgent Status : Disconnected\nincomingconnections.ports : [22]\nendstream\n');
    assertOneLineError(cli(['analyze', pdf]), /ticket\.pdf: PDF: paste the text instead/);
    const packed = join(tmp, 'packed.pdf');
    writeFileSync(packed, Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from([0x78, 0x9c, 0, 1, 2, 3, 0xff])]));
    assertOneLineError(cli(['analyze', packed]), /packed\.pdf: PDF: paste the text instead/);
    // Next to a usable input, the refused one is named and the rest is analyzed.
    const r = cli(['analyze', pdf, ...files('healthy')]);
    assert.notEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /warning: .*ticket\.pdf: PDF: paste the text instead/);
  });

  it('unusable inputs: missing, a directory, binary, unrecognized text — exit 2 naming the input', () => {
    assertOneLineError(cli(['analyze', join(tmp, 'nope.txt')]), /nope\.txt: no such file or directory; expected a file of command output/);
    const bin = join(tmp, 'blob.bin');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]));
    assertOneLineError(cli(['analyze', bin]), /blob\.bin: binary data; expected text/);
    const zip = join(tmp, 'broken.zip');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0]));
    assertOneLineError(cli(['analyze', zip]), /broken\.zip: not a readable zip \(.*\); expected an azcmagent logs zip or an extracted folder$/);
    const prose = join(tmp, 'prose.txt');
    writeFileSync(prose, 'Hello, my server does not work, please help.\n');
    // A narrative is still an input: no cause can be determined, and the report says what to collect (exit 0).
    const r = cli(['analyze', prose]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No cause can be determined from these inputs/);
    assert.match(r.stdout, /^ {4}azcmagent show -j {4}# agent status/m);
    assert.match(r.stderr, /note: .*prose\.txt: no known command output, log format or error message found/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const json = JSON.parse(cli(['analyze', '--format', 'json', prose]).stdout) as { conclusion?: { verdict: string; collect: unknown[] } };
    assert.equal(json.conclusion?.verdict, 'insufficient-data');
    assert.ok(json.conclusion!.collect.length >= 5);
  });

  it('a narrative input next to usable ones adds nothing and changes nothing', () => {
    const prose = join(tmp, 'note.txt');
    writeFileSync(prose, 'customer says: it broke on Tuesday\n');
    const r = cli(['analyze', '--format', 'json', prose, ...files('healthy')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /note: .*note\.txt: no known command output/);
    const report = JSON.parse(r.stdout) as { inputs: Array<{ status: string; facts: number }>; conclusion?: unknown };
    assert.deepEqual([report.inputs[0]!.status, report.inputs[0]!.facts], ['parsed', 0]);
    assert.equal(report.conclusion, undefined);
  });

  it('a healthy sample exits 0; the failed-to-connect sample exits 1 with the fix', () => {
    const ok = cli(['analyze', ...files('healthy')]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const bad = cli(['analyze', ...files('failed-to-connect')]);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /the WAC port 6516 is missing/);
    assert.match(bad.stdout, /\n {8}azcmagent config set incomingconnections\.ports '22,6516'\n/);
    assert.doesNotMatch(bad.stdout, /\x1b\[/, 'no colour when not a TTY');
  });

  it('--fail-on warn turns warnings into exit 1; --skip removes the rule', () => {
    const sample = files('warn-only');
    assert.equal(cli(['analyze', ...sample]).code, 0);
    assert.equal(cli(['analyze', '--fail-on', 'warn', ...sample]).code, 1);
  });

  it('JSON output follows the v1 contract with one result per selected rule', () => {
    const r = cli(['analyze', '--format', 'json', ...files('failed-to-connect')]);
    const report = JSON.parse(r.stdout) as {
      version: number; tool: { name: string; version: string }; inputs: unknown[];
      results: Array<{ ruleId: string; status: string; evidence: Array<{ source: string }>; docsUrl: string }>; summary: Record<string, number>;
    };
    assert.equal(report.version, 1);
    assert.deepEqual(report.tool, { name: 'wac-doctor', version: TOOL_VERSION });
    assert.equal(report.results.length, RULES.length);
    assert.equal(report.inputs.length, files('failed-to-connect').length);
    const total = Object.values(report.summary).reduce((a, b) => a + b, 0);
    assert.equal(total, RULES.length);
    const ports = report.results.find((x) => x.ruleId === 'incoming-ports')!;
    assert.equal(ports.status, 'warn');
    assert.equal(ports.evidence[0]!.source, 'pasted');
    const only = JSON.parse(cli(['analyze', '--format', 'json', '--only', 'incoming-ports,memory', ...files('failed-to-connect')]).stdout) as { results: Array<{ ruleId: string }> };
    assert.deepEqual(only.results.map((x) => x.ruleId).sort(), ['incoming-ports', 'memory']);
    const skipped = JSON.parse(cli(['analyze', '--format', 'json', '--skip', 'incoming-ports', ...files('failed-to-connect')]).stdout) as { results: Array<{ ruleId: string }> };
    assert.equal(skipped.results.length, RULES.length - 1);
  });

  it('--port overrides the port the rules use', () => {
    const r = cli(['analyze', '--format', 'json', '--only', 'incoming-ports', '--port', '22', ...files('failed-to-connect')]);
    const report = JSON.parse(r.stdout) as { results: Array<{ status: string; message: string }> };
    assert.equal(report.results[0]!.status, 'pass');
    assert.match(report.results[0]!.message, /includes the WAC port 22/);
  });

  it('SARIF output validates against the SARIF 2.1.0 schema', () => {
    const r = cli(['analyze', '--format', 'sarif', ...files('failed-to-connect')]);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: unknown[] } }; results: Array<{ ruleId: string; kind: string; level: string }> }> };
    const schema = JSON.parse(readFileSync(join(ROOT, 'core', 'reporters', 'testdata', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const valid = ajv.validate(schema, sarif);
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 3)));
    assert.equal(sarif.runs[0]!.tool.driver.rules.length, RULES.length);
    const ports = sarif.runs[0]!.results.find((x) => x.ruleId === 'incoming-ports')!;
    assert.deepEqual([ports.kind, ports.level], ['fail', 'warning']);
  });

  it('JUnit and Markdown outputs carry every rule', () => {
    const junit = cli(['analyze', '--format', 'junit', ...files('failed-to-connect')]).stdout;
    assert.match(junit, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    assert.equal((junit.match(/<testcase /g) ?? []).length, RULES.length);
    const md = cli(['analyze', '--format', 'markdown', ...files('failed-to-connect')]).stdout;
    assert.match(md, /## WAC Doctor report/);
    assert.match(md, /incoming-ports/);
  });

  it('--output writes only that file', () => {
    const out = join(tmp, 'report.json');
    const r = cli(['analyze', '--format', 'json', '--output', out, ...files('failed-to-connect')]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { version: number }).version, 1);
    assertOneLineError(cli(['analyze', '--output', join(tmp, 'no', 'such', 'dir', 'r.txt'), ...files('failed-to-connect')]), /--output .*r\.txt: cannot write \(ENOENT\)/);
  });

  it('reads standard input with -', () => {
    const text = readFileSync(files('failed-to-connect').find((f) => /config/.test(f))!, 'utf8');
    const r = cli(['analyze', '--format', 'json', '--only', 'incoming-ports', '-'], text);
    const report = JSON.parse(r.stdout) as { inputs: Array<{ path: string; status: string }>; results: Array<{ status: string }> };
    assert.deepEqual(report.inputs.map((i) => [i.path, i.status]), [['<stdin>', 'parsed']]);
    assert.equal(report.results[0]!.status, 'warn');
  });

  it('redacts proxy credentials unless --no-redact', () => {
    const cfg = join(tmp, 'config-with-proxy.txt');
    writeFileSync(cfg, [
      'Local Configuration Settings',
      '  incomingconnections.enabled (preview)   : true',
      '  incomingconnections.ports (preview)     : [6516]',
      '  proxy.url                               : http://svc-arc:Pr0xyPass!@proxy.contoso.local:3128',
      '',
    ].join('\n'));
    for (const format of ['text', 'json', 'sarif', 'junit', 'markdown']) {
      const r = cli(['analyze', '--format', format, '--verbose', cfg]);
      assert.doesNotMatch(r.stdout, /Pr0xyPass/, format);
      assert.match(r.stdout, /proxy\.contoso\.local/, format);
    }
    assert.match(cli(['analyze', '--format', 'json', '--no-redact', cfg]).stdout, /Pr0xyPass/);
  });
});

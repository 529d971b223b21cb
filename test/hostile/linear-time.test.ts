/**
 * Every pasted parser, log grammar and the signature matcher must take time linear in their input: customer text
 * is untrusted, and one backtracking regex turns a 100 kB paste into minutes. Each target runs on adversarial
 * shapes (long runs of spaces, tabs, colons, `=`, quotes, backslashes, brackets; repeated record prefixes) at
 * 10 kB and 100 kB, and the time ratio must stay far below the 100x a quadratic pattern shows. Only ratios are
 * asserted, never wall-clock times.
 */
import { strict as assert } from 'node:assert';
import { ingestText } from '../../core/engine/ingest';
import { FactStore } from '../../core/engine/fact-store';
import { LogFacts } from '../../core/parsers/logs/collector';
import { endpointOf, errorText } from '../../core/parsers/logs/endpoints';
import { PROBLEM_HINT } from '../../core/parsers/logs/interpret';
import { oneLine } from '../../core/parsers/logs/record';
import { headLines, type Grammar, type GrammarId } from '../../core/parsers/logs/grammar';
import { LOG_GRAMMARS, LogFileReader } from '../../core/parsers/logs/log-file';
import { plainText } from '../../core/parsers/logs/plain';
import { ParseError, type InputRef } from '../../core/parsers/parser';
import { PASTED_PARSERS } from '../../core/parsers';
import { matchSignatures, NETWORK_HINT, SIGNATURE_HINT } from '../../core/catalog/signatures';
import { describeBody } from '../../rules/support/probe-verdict';

const SMALL = 10_000;
const LARGE = 100_000;
/** Linear code measures about 10x (up to 20x where it allocates a lot); a quadratic pattern 100x. */
const MAX_RATIO = 30;
/** LINEAR_TIME_VERBOSE=1 prints every ratio above 15; LINEAR_TIME_SHAPES=text keeps only shapes whose name holds it. */
const VERBOSE = process.env.LINEAR_TIME_VERBOSE === '1';
const ONLY = process.env.LINEAR_TIME_SHAPES;

// ---- shapes ----

interface Shape { name: string; make(n: number): string }

/** `unit` repeated to exactly `n` characters. */
const fill = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, Math.max(0, n));

/**
 * Line heads that lead the parsers' and grammars' patterns deep into a line before the run starts; those ending in
 * a space also come with a word after it, so the run does not merge into the space a pattern expects there.
 */
const PREFIXES = [
  '', 'A', 'Name', 'Name :', 'Name : x', 'SERVICE_NAME: a', '        STATE              : 4',
  'Status   Name\n------   ----\n', 'Agent Version', 'Agent Status :', 'Dependent Service Status\n a',
  'time="', 'time="2024-01-01T00:00:00Z" level=error msg="', 'msg=', 'ERRO[0000] a', 'ERROR   a',
  '[2024-01-01 00:00:00] [PID 1] [TID 1] [a] [ERROR] ', '[2024-01-01 00:00:00] [PID 1] [TID 1] [a] [ERROR] a',
  '<GCLOG>[2024-01-01 00:00:00] [PID 1] [TID 1] [',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ServerManagementGateway\n    SmePort',
  '{"agentVersion": "1", "', '{"localsettings": [{"key": "', '[{"endpoint": "', '{"wacDoctorProbes": 1, "',
  'https://a.b |', 'PS C:\\> Invoke-RestMethod ', 'PS C:\\> Invoke-RestMethod a', 'x509: ', 'x509: a',
  'WARNING: TCP connect to (', 'incomingconnections.ports', 'sc query ', 'sc query a', 'Cannot find path', '@{a=',
  'azcmagent config set a.b ', 'azcmagent config set a.b a', 'found private endpoint ', 'as endpoint a', 'Windows Server 2012 ',
  'Message      : x\n', 'Agent Error Details : x\n', '  AZURE ARC ENDPOINT CHECK\n  Group | Endpoint | IP | Type | Result | Latency\n  Core  | a.b | ',
  '  Agent:  Installed | ', '  #   | Severity | Category | Message\n  1   | CRITICAL | a | ', 'the agent is ', 'a VM with 2 GB ', 'Azure China ',
  '"AdditionalData": {\n "TargetResourceName": "', '"TargetResourceName": "https://a.b"\n "ExceptionMessage": "',
];

/** Runs that overlapping quantifiers (`\s*` next to `.*?`, `[\w ]*?\s+`) backtrack over. */
const RUNS = [' ', '\t', ':', '=', '"', '\\', '[', '\n', ' \n', '\r'];

/** Whole-input repetitions of one record head or token (each a pattern's literal start or separator). */
const UNITS = [
  'Name : ', 'Name :', 'A  ', ' : ', 'time="', 'time="x" ', 'level=error ', 'a=', 'a="', 'a b=', '  a=b', 'msg="',
  '[2024-01-01 ', '[2024-01-01 00:00:00] ', '[PID 1] ', '[a]', '<GCLOG>', '</GCLOG> ', 'ERRO[', 'INFO  ', 'SERVICE_NAME: a ',
  '"a":', '{"a":', '[{', '"key": "', '\\\\', 'https://', 'http://a ', 'AZCM0000 ', 'x509: ', 'Agent Version : ', 'Agent Version ',
  '(a) : ', 'a (b)', '| ', '-', '- ', 'REG_SZ  ', '  REG_', ' \t', '\r', '\u00a0', '\u2028', 'Status Name ', '\n ', 'version ',
  'Get "', 'lookup a on ', 'failed: ', 'failed:\n', '/Date(', '1.1.', 'a.', 'a.b', 'Microsoft.', 'Microsoft.a/', 'a@', '$ curl ',
  'irm ', 'curl https://a ', '407 ', 'namespace ', "perform action '", '(ResourceNotFound)', '/extensions/AdminCenter ',
  'Property ', 'reg query ', 'Namespace ', 'RegistrationState ', '[SC] a ', 'WARNING: TCP connect to (', 'https://a.b | ',
  'Invoke-RestMethod ', 'DISPLAY_NAME: ', '@{', 'tls v ', 'Local configuration settings ', 'a.b (preview) ', 'Scope ',
  '2024-01-01 00:00:00 ', 'Cannot find path ', 'could not be resolved: ', '+ ', '1 | ', 'StatusCode : ',
  '<title', '<', '//', 'Get https://a', 'proxyconnect ',
  'azcmagent config set ', 'config set a.', 'endpoint a ', 'private endpoint ', 'WAC relay ', 'WAC ', 'Windows Server 2016 ',
];

/** `count(n)` units of a generated item between `head` and `tail`, about `n` characters in all (valid JSON, tables). */
function items(name: string, head: string, item: (i: number) => string, tail: string): Shape {
  return {
    name,
    make: (n) => {
      const parts = [head];
      let size = head.length + tail.length;
      for (let i = 0; size < n; i++) {
        const it = item(i);
        parts.push(it);
        size += it.length;
      }
      return parts.join('') + tail;
    },
  };
}

/** Whole documents: many keys or rows (per-item searches would be quadratic), deep nesting, one huge key. */
const DOCUMENTS: Shape[] = [
  items('show -j, many services with escaped names', '{"agentVersion": "1.45.02669.1635", "services": [\n', (i) => `{"serviceName": "s\\/${i}", "status": "running"},\n`, '{"serviceName": "z", "status": "running"}]}'),
  items('config -j, many localsettings with escaped keys', '{"localsettings": [\n', (i) => `{"key": "proxy.\\u0075rl${i}", "value": "x"},\n`, '{"key": "proxy.url", "value": ""}]}'),
  items('config -j, many flat dotted keys', '{\n', (i) => `"a.${i}": 0,\n`, '"proxy.url": ""}'),
  items('check -j, many rows with escaped endpoints', '[\n', (i) => `{"endpoint": "https:\\/\\/a${i}.example.com", "reachable": true},\n`, '{"endpoint": "https://z.example.com", "reachable": true}]'),
  items('deeply nested arrays', '', () => '[', ''),
  { name: 'deeply nested arrays, closed', make: (n) => '['.repeat(n / 2) + ']'.repeat(n / 2) },
  { name: 'deeply nested objects, closed', make: (n) => '{"agentVersion":'.repeat(n / 17) + '1' + '}'.repeat(n / 17) },
  { name: 'one huge key', make: (n) => `{"agentVersion": "1", "${'k'.repeat(n - 30)}": 1}` },
  { name: 'one huge dotted key with spaces', make: (n) => `{"a.${' '.repeat(n - 20)}x": 1}` },
  items('Get-Service table, many rows', 'Status   Name               DisplayName\n------   ----               -----------\n', (i) => `Running  svc${i}   Service ${i}\n`, ''),
  items('Format-List, many blocks', '', (i) => `Name   : s${i}\nStatus : Running\n\n`, ''),
  items('sc query, many blocks', '', (i) => `SERVICE_NAME: s${i}\n        STATE              : 4  RUNNING\n`, ''),
];

const SHAPES: Shape[] = [
  ...PREFIXES.flatMap((prefix) => RUNS.map((run): Shape => ({
    name: `${JSON.stringify(prefix)} + ${JSON.stringify(run)}... + "x"`,
    make: (n) => prefix + fill(run, n - prefix.length - 1) + 'x',
  }))),
  ...UNITS.map((unit): Shape => ({ name: `${JSON.stringify(unit)} repeated + "x"`, make: (n) => fill(unit, n - 1) + 'x' })),
  ...UNITS.map((unit): Shape => ({ name: `${JSON.stringify(unit)} repeated, one per line`, make: (n) => fill(`${unit}\n`, n) })),
  ...DOCUMENTS,
];

// ---- targets ----

interface Target { name: string; run(text: string): void }

const input: InputRef = { path: 'hostile.txt', source: 'pasted' };

function parseQuietly(parse: () => unknown): void {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
  }
}

function grammarTargets(g: Grammar): Target[] {
  return [
    { name: `${g.id} detect`, run: (t) => g.detect(headLines(t)) },
    { name: `${g.id} parse`, run: (t) => g.parse(t) },
    {
      name: `${g.id} scan (splitter, scanner, interpreter)`,
      run: (t) => {
        const reader = new LogFileReader({ path: 'hostile.log', source: 'pasted', role: 'agent-log' }, new LogFacts(), undefined, g);
        reader.pushText(t);
        reader.end();
      },
    },
  ];
}

const GRAMMARS: readonly Grammar[] = [...LOG_GRAMMARS, plainText];

const TARGETS: Target[] = [
  ...PASTED_PARSERS.flatMap((p): Target[] => [
    { name: `${p.id} detect`, run: (t) => p.detect(t) },
    { name: `${p.id} parse`, run: (t) => parseQuietly(() => p.parse(t, input)) },
  ]),
  ...GRAMMARS.flatMap(grammarTargets),
  { name: 'matchSignatures', run: (t) => matchSignatures(t) },
  { name: 'SIGNATURE_HINT', run: (t) => SIGNATURE_HINT.test(t) },
  { name: 'NETWORK_HINT, PROBLEM_HINT', run: (t) => [NETWORK_HINT.test(t), PROBLEM_HINT.test(t)] },
  // Helpers that read a record's (or a probe's) text directly.
  { name: 'endpointOf, errorText, oneLine (log interpreter)', run: (t) => [endpointOf(undefined, t), errorText(undefined, t), oneLine(t)] },
  { name: 'describeBody (probe verdicts)', run: (t) => describeBody(t) },
  { name: 'ingestText (detection, parse or log scan)', run: (t) => ingestText(new FactStore(), 'hostile.txt', t) },
];

// ---- timing ----

/**
 * CPU time (user + system, µs) per call over `calls` calls. CPU time, not wall time: on a busy machine the wall
 * clock also counts the time other processes had the CPU, which can make a linear function look quadratic.
 */
function cpuPerCall(run: (t: string) => void, text: string, calls = 1): number {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) run(text);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

/** The best of 5 batches of calls (each batch about 1 ms), after a warm-up call. */
function fastest(run: (t: string) => void, text: string): number {
  const first = cpuPerCall(run, text);
  if (first > 200_000) return first; // one call is enough to see a 0.2 s function is slow
  const calls = Math.ceil(1000 / Math.max(first, 1));
  let best = Infinity;
  for (let batch = 0; batch < 5; batch++) best = Math.min(best, cpuPerCall(run, text, calls));
  return best;
}

/**
 * A cheap screen (a few calls); a shape that looks super-linear is measured carefully, up to twice more while it is
 * near the bound (noise only ever adds time, so the lowest ratio is the truest).
 */
function ratioOf(target: Target, small: string, large: string): number {
  const quick = cpuPerCall(target.run, large) / Math.max(Math.min(cpuPerCall(target.run, small), cpuPerCall(target.run, small)), 1);
  if (quick <= MAX_RATIO) return quick;
  let ratio = Infinity;
  for (let attempt = 0; attempt < 3 && ratio > MAX_RATIO && (attempt === 0 || ratio < 3 * MAX_RATIO); attempt++) {
    ratio = Math.min(ratio, fastest(target.run, large) / fastest(target.run, small));
  }
  return ratio;
}

describe('hostile input: parsers, grammars and signatures take linear time', function () {
  // Each target takes about a second; one that is super-linear takes minutes (and fails on its ratio).
  this.timeout(600_000);
  const inputs = SHAPES.filter((s) => !ONLY || s.name.includes(ONLY)).map((shape) => ({ shape, small: shape.make(SMALL), large: shape.make(LARGE) }));

  it('covers every pasted parser and every log grammar, at the two sizes', () => {
    const ids: GrammarId[] = ['logrus', 'logrus-terminal', 'logrus-console', 'gc-bracket', 'plain'];
    assert.deepEqual(GRAMMARS.map((g) => g.id).sort(), ids.sort());
    assert.equal(TARGETS.length, PASTED_PARSERS.length * 2 + GRAMMARS.length * 3 + 6);
    for (const { shape, small, large } of inputs) {
      assert.ok(Math.abs(small.length / SMALL - 1) < 0.05 && Math.abs(large.length / LARGE - 1) < 0.05, shape.name);
    }
  });

  for (const target of TARGETS) {
    it(target.name, () => {
      const slow: string[] = [];
      for (const { shape, small, large } of inputs) {
        const ratio = ratioOf(target, small, large);
        if (VERBOSE && ratio > 15) console.log(`  ${target.name}: ${shape.name}: ${ratio.toFixed(1)}x`);
        if (ratio > MAX_RATIO) slow.push(`${shape.name}: ${ratio.toFixed(0)}x`);
      }
      assert.deepEqual(slow, [], `10x the input took more than ${MAX_RATIO}x the time`);
    });
  }
});

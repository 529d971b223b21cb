/**
 * One hostile input must not sink the others: no RegExp is built from input (a 32 K key or value used to make
 * `new RegExp` throw, and the whole run exit 2), an unexpected parser failure is that input's error, and pasted
 * lines are cut at 64 KiB before any parser sees them.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../../core/sources/pasted';
import { analyzeBundle } from '../../core/sources/bundle';
import { scQueryParser } from '../../core/parsers/sc-query';
import type { Report } from '../../core/model/report';
import { capLines } from '../../core/text/text-input';
import { RULES } from '../../rules';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'pasted');
const NOW = new Date('2026-09-14T12:00:00Z');
const LONG = 'k'.repeat(40_000);

describe('hostile input: one input never sinks the others', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-one-input-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const show = join(FIXTURES, 'azcmagent-show.txt');
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const analyze = (...paths: string[]): Promise<Report> => analyzeFiles(paths, { rules: RULES, now: NOW });

  /** The valid second input, analyzed as if alone. */
  function assertShowAnalyzed(report: Report): void {
    const second = report.inputs[1]!;
    assert.equal(second.kind, 'azcmagent-show-text');
    assert.equal(second.status, 'parsed');
    assert.ok(second.facts > 5, `${second.facts} facts`);
  }

  // Pretty-printed, as the commands print them: each line stays under the 64 KiB cut.
  const hostile: Array<[string, string, string]> = [
    ['azcmagent config list -j', 'azcmagent-config-json',
      `{\n "localsettings": [\n  {"key": "${LONG}", "value": 1},\n  {"key": "proxy.url", "value": ""}\n ],\n "${LONG}": 1\n}`],
    ['localconfig.json (flat keys)', 'azcmagent-config-json', `{\n "incomingconnections.ports": "6516",\n "${LONG}.x": 1\n}`],
    ['azcmagent check -j', 'azcmagent-check-json',
      `[\n {"endpoint": "https://${LONG}.example.com", "reachable": true},\n {"${LONG}": 1, "endpoint": "https://gbl.his.arc.azure.com", "reachable": false}\n]`],
    ['azcmagent show -j', 'azcmagent-show-json',
      `{\n "agentVersion": "1.45.02669.1635",\n "status": "Connected",\n "${LONG}": 1,\n "services": [\n  {"serviceName": "${LONG}", "status": "running"}\n ]\n}`],
  ];
  for (const [label, kind, text] of hostile) {
    it(`${label}: a 40,000-character key neither throws nor stops the next input`, async () => {
      const report = await analyze(file(`${kind}.json`, text), show);
      const first = report.inputs[0]!;
      assert.equal(first.kind, kind);
      assert.equal(first.status, 'parsed', first.messages.join('\n'));
      assert.ok(first.facts > 0);
      assertShowAnalyzed(report);
    });
  }

  it('an unexpected failure in one parser is that input\'s one-line error; the other input is still analyzed', async () => {
    const original = scQueryParser.parse;
    scQueryParser.parse = () => {
      throw new TypeError('boom\n    at parseScQuery (sc-query.ts:1:1)');
    };
    try {
      const sc = join(FIXTURES, 'sc-query-himds.txt');
      const report = await analyze(sc, show);
      const first = report.inputs[0]!;
      assert.equal(first.status, 'error');
      assert.equal(first.kind, 'sc-query');
      assert.deepEqual(first.messages, [`${sc}: internal error while reading it (boom at parseScQuery (sc-query.ts:1:1)); please report this with the input`]);
      assertShowAnalyzed(report);
    } finally {
      scQueryParser.parse = original;
    }
  });

  it('the same in a bundle: the entry is named in a message, the rest of the bundle is analyzed', async () => {
    const folder = join(dir, 'bundle');
    mkdirSync(join(folder, 'commands'), { recursive: true });
    copyFileSync(join(FIXTURES, 'sc-query-himds.txt'), join(folder, 'commands', 'sc.txt'));
    copyFileSync(show, join(folder, 'commands', 'show.txt'));
    const original = scQueryParser.parse;
    scQueryParser.parse = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    try {
      const report = await analyzeBundle(folder, { rules: RULES, now: NOW });
      const bundle = report.inputs[0]!;
      assert.equal(bundle.status, 'parsed');
      assert.ok(bundle.messages.includes(`${folder}: commands/sc.txt: internal error while reading it (Maximum call stack size exceeded); please report this with the input`), bundle.messages.join('\n'));
      assert.equal(report.target?.agentVersion, '1.45.02669.1635');
      assert.deepEqual(report.target?.filesFound, ['commands/show.txt']);
    } finally {
      scQueryParser.parse = original;
    }
  });

  it('pasted lines longer than 64 KiB are cut before any parser runs, and the input says so', async () => {
    const text = `Agent Version : 1.45.02669.1635\nAgent Status : Disconnected\nAgent Error Details : ${'x'.repeat(100_000)}\nAgent Error Code : AZCM0041\n`;
    const report = await analyze(file('long-line.txt', text), show);
    const first = report.inputs[0]!;
    assert.equal(first.kind, 'azcmagent-show-text');
    assert.equal(first.status, 'parsed');
    assert.equal(first.messages[0], `${join(dir, 'long-line.txt')}: 1 over-long line cut at 64 KiB`);
    assertShowAnalyzed(report);
  });

  it('capLines cuts each over-long line at the limit, keeps the others and their line breaks', () => {
    assert.deepEqual(capLines('ab\ncdefg\nhi\n', 3), { text: 'ab\ncde\nhi\n', cut: 1 });
    assert.deepEqual(capLines('abcd\nefgh', 3), { text: 'abc\nefg', cut: 2 });
    assert.deepEqual(capLines('abc\n\nabc', 3), { text: 'abc\n\nabc', cut: 0 });
    const long = `${'y'.repeat(70_000)}\nz`;
    assert.deepEqual(capLines(long), { text: `${'y'.repeat(64 * 1024)}\nz`, cut: 1 });
  });
});

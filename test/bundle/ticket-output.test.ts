/**
 * A bundle written to put markup into the ticket: log lines and entry names with a lone `\r`, U+2028/U+2029,
 * NEL, headings, links, bare URLs, e-mail addresses and HTML. The Markdown report is parsed by a real
 * CommonMark parser (markdown-it, with GFM-style autolinks) and must have only its own headings and links;
 * SARIF message texts must carry no embedded link (§3.11.6).
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBundle } from '../../core/sources/bundle';
import { renderMarkdown } from '../../core/reporters/markdown';
import { renderSarif } from '../../core/reporters/sarif';
import type { Report } from '../../core/model/report';
import { RULES } from '../../rules';
import { logrus, WIN_VERSION } from '../../scripts/make-bundles';
import { craftZip } from '../../scripts/zip-craft';
import { NOW, scratchDir } from './fixtures';

interface Token { type: string; tag: string; content: string; attrGet(name: string): string | null; children: Token[] | null }
interface MarkdownIt { parse(src: string, env: object): Token[]; linkify: { set(o: object): void } }
// eslint-disable-next-line @typescript-eslint/no-require-imports -- markdown-it ships no types: the members used are typed above
const markdownIt = require('markdown-it') as (opts: object) => MarkdownIt;

const LOG = 'ProgramData/AzureConnectedMachineAgent/Log';
const PAYLOAD = '\r# Injected heading [click](https://evil.example/a) <b>x</b>\u2028## Second https://evil.example/b\u2029### Third www.evil.example admin@evil.example\u0085#### Fourth';

describe('ticket output: a bundle cannot put headings or links into Markdown or SARIF', () => {
  const scratch = scratchDir('ticket');
  after(() => rmSync(scratch, { recursive: true, force: true }));
  let report: Report;

  before(async () => {
    const path = join(scratch, 'inject.zip');
    writeFileSync(path, craftZip([
      { name: `${LOG}/himds.log`, data: Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`) },
      { name: `${LOG}/azcmagent.log`, data: Buffer.from(`${logrus('2026-09-14T08:00:01Z', 'error', `Exit Code: AZCM0041: invalid credentials ${PAYLOAD}`)}\n`) },
      { name: `${LOG}/empty${PAYLOAD.replace(/\//g, '_')}.log`, data: Buffer.alloc(0) },
    ]));
    report = await analyzeBundle(path, { rules: RULES, now: NOW });
    const quoted = report.results.find((f) => f.ruleId === 'agent-error-code')!;
    assert.ok(quoted.evidence.some((e) => e.excerpt?.includes('\r# Injected')), 'the excerpt carries the payload, raw');
  });

  for (const redact of [true, false]) {
    it(`Markdown (${redact ? 'redacted' : 'not redacted'}): only the report's own headings and links`, () => {
      const md = renderMarkdown(report, { rules: RULES, color: false, verbose: true, redact, failOn: 'fail' });
      const parser = markdownIt({ html: true, linkify: true });
      parser.linkify.set({ fuzzyLink: false, fuzzyIP: false, fuzzyEmail: true }); // what GFM autolinks
      const tokens = parser.parse(md, {});
      const inline = (t: Token): Token[] => [t, ...(t.children ?? []).flatMap(inline)];
      const all = tokens.flatMap(inline);
      tokens.forEach((t, i) => {
        if (t.type !== 'heading_open') return;
        const text = tokens[i + 1]!.content;
        assert.doesNotMatch(text, /Injected|Second|Third|Fourth/, `heading from input: ${text}`);
      });
      for (const t of all.filter((x) => x.type === 'link_open')) {
        assert.match(t.attrGet('href') ?? '', /^https:\/\/github\.com\/wac-doctor\/|^https:\/\/learn\.microsoft\.com\//, `link from input: ${t.attrGet('href')}`);
      }
      assert.ok(!all.some((t) => t.type === 'html_inline' || t.type === 'html_block'), 'no HTML from input');
      // The payload is still there for the reader, inside code.
      assert.ok(all.some((t) => (t.type === 'code_inline' || t.type === 'fence') && t.content.includes('# Injected heading [click](https://evil.example/a)')));
    });
  }

  it('SARIF message texts escape brackets: no embedded link from input', () => {
    const sarif = JSON.parse(renderSarif(report, { rules: RULES, color: false, verbose: true, redact: false, failOn: 'fail' })) as { runs: Array<{ results: Array<{ message: { text: string } }>; invocations: Array<{ toolExecutionNotifications?: Array<{ message: { text: string } }> }> }> };
    const texts = sarif.runs.flatMap((r) => [...r.results.map((x) => x.message.text), ...r.invocations.flatMap((i) => (i.toolExecutionNotifications ?? []).map((n) => n.message.text))]);
    const withPayload = texts.filter((t) => t.includes('click'));
    for (const t of texts) assert.doesNotMatch(t, /(^|[^\\])\[[^\]]*\]\(/, `embedded link: ${t}`);
    for (const t of withPayload) assert.ok(t.includes('\\[click\\](https://evil.example/a)'), t);
  });
});

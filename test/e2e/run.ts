/**
 * End-to-end test of the packaged extension in a real VS Code (code-server 4.100.3, Debian
 * Chromium, playwright-core): install the .vsix, open a fixture folder, analyze pasted outputs from
 * the Explorer and from an untitled editor, and check the tree, the Problems panel, quick fixes and
 * the report webview (content, components, no CSP violation). Screenshots go to test-artifacts/e2e/.
 *
 * Run with `npm run test:e2e` (setup + package + this). Needs dist/wac-doctor.vsix.
 */
import { createSocket } from 'node:dgram';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { analyzeFiles } from '../../core/sources/pasted';
import type { Report } from '../../core/model/report';
import { analyzeInputs } from '../../core/sources/targets';
import { summaryText } from '../../extension/src/model/status';
import { problemCount } from '../../core/model/status';
import { fleetIndex } from '../../extension/src/tree/fleetModel';
import { totalsText } from '../../extension/src/tree/fleetNodes';
import { RULES } from '../../rules';
import { classMachines, page as exportPage, queryRow } from '../../scripts/fleet-fixtures';
import { SCENARIOS, zipBuffer } from '../../scripts/make-bundles';
import { installExtension, startCodeServer, type CodeServer } from './codeServer';
import { Workbench } from './workbench';

const ROOT = join(__dirname, '..', '..');
const VSIX = join(ROOT, 'dist', 'wac-doctor.vsix');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEW = 'Results';
const FLEET_VIEW = 'Fleet';
const BUNDLE = 'azcmagent-logs-20260914T0900-SRV-WEB01.zip';
/** A second machine's bundle (agent 1.36), analysed together with the first: a fleet of bundles. */
const BUNDLE2 = 'azcmagent-logs-20260914T0900-SRV-WEB02.zip';
const ARG_EXPORT = 'arc-machines-export.json';

interface StepResult { name: string; ok: boolean; ms: number; error?: string }
const results: StepResult[] = [];
let stopped = false;

async function step(name: string, fn: () => void | Promise<void>): Promise<void> {
  if (stopped) { results.push({ name, ok: false, ms: 0, error: 'not run: an earlier step failed' }); return; }
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    process.stdout.write(`  ✓ ${name} (${Date.now() - t0} ms)\n`);
  } catch (err) {
    const error = err instanceof Error ? err.message.split('\n').slice(0, 12).join('\n') : String(err);
    results.push({ name, ok: false, ms: Date.now() - t0, error });
    process.stdout.write(`  ✗ ${name}\n${error.replace(/^/gm, '      ')}\n`);
    stopped = true;
  }
}

function expect(cond: unknown, message: string): void {
  if (!cond) throw new Error(message);
}

async function eventually<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch { /* retry */ }
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last value:\n${typeof last === 'string' ? last : JSON.stringify(last, null, 1)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A loopback UDP port nothing listens on: DNS queries sent there stay on the machine and get no answer. */
async function closedUdpPort(): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

async function main(): Promise<number> {
  const started = Date.now();
  expect(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: run test/e2e/setup.sh`);
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-e2e-'));
  const silentDnsPort = await closedUdpPort();
  const ws = join(dir, 'workspace');
  mkdirSync(ws);
  cpSync(join(ROOT, 'fixtures', 'samples', 'failed-to-connect'), join(ws, 'failed-to-connect'), { recursive: true });
  const pasted = readFileSync(join(ROOT, 'fixtures', 'pasted', 'azcmagent-config-list.txt'), 'utf8');
  // An azcmagent logs bundle whose agent config lacks the WAC port (scripts/make-bundles.ts, deterministic).
  writeFileSync(join(ws, BUNDLE), await zipBuffer(SCENARIOS['win-incoming-ports']!.files()));
  writeFileSync(join(ws, BUNDLE2), await zipBuffer(SCENARIOS['win-agent-136']!.files()));
  // What core concludes about the same inputs: the UI must show exactly these counts. (The rules evolve;
  // the specific findings asserted below are the ones these fixtures exist to show.)
  const samples = ['01-azcmagent-show.txt', '02-azcmagent-config-list.txt', '03-get-service.txt', '04-az-extension-list.json', '05-invoke-restmethod-wac.txt']
    .map((f) => join(ws, 'failed-to-connect', f));
  const expectFiles: Report = await analyzeFiles(samples, { rules: RULES });
  const expectBundle: Report = (await analyzeInputs([join(ws, BUNDLE)], { rules: RULES, workers: 1 }))[0]!;
  const expectBundle2: Report = (await analyzeInputs([join(ws, BUNDLE2)], { rules: RULES, workers: 1 }))[0]!;
  // An Azure Resource Graph export (the fleet query's rows, az graph query shape): one machine per failure class.
  const argRows = classMachines().map(queryRow);
  writeFileSync(join(ws, ARG_EXPORT), `${JSON.stringify(exportPage('az', argRows, null, argRows.length), null, 2)}\n`);
  const expectArg: Report[] = await analyzeInputs([join(ws, ARG_EXPORT)], { rules: RULES, workers: 1 });
  const pastedFile = join(dir, 'pasted.txt');
  writeFileSync(pastedFile, pasted);
  const expectPasted: Report = await analyzeFiles([pastedFile], { rules: RULES });
  const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const consoleErrors: string[] = [];
  let activationMs: number | undefined;
  const cspViolations: string[] = [];
  process.stdout.write(`WAC Doctor E2E: ${VSIX} (${Math.round(statSync(VSIX).size / 1024)} KB), work dir ${dir}\n`);
  try {
    await step('install the .vsix into code-server', () => { installExtension(dir, VSIX); });
    /** code-server + Chromium on the fixture folder, answering the workspace-trust dialog. */
    const openWorkbench = async (profile: string, trust: boolean): Promise<void> => {
      cs = await startCodeServer(dir, ws, {
        'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'workbench.tips.enabled': false,
        'extensions.ignoreRecommendations': true, 'update.mode': 'none', 'window.commandCenter': false,
        'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
        // The active editor's file would join an Explorer multi-selection (the fleet step selects two bundles).
        'explorer.autoReveal': false,
        // Live checks ask a closed loopback port for DNS, so no probe leaves the machine.
        'wacDoctor.dnsServers': [`127.0.0.1:${silentDnsPort}`], 'wacDoctor.probeTimeoutMs': 1500,
      }, profile);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: cs.url });
      page = await context.newPage();
      page.on('console', (m) => {
        const text = m.text();
        if (/Content[- ]Security[- ]Policy/i.test(text)) cspViolations.push(text);
        if (m.type() === 'error') consoleErrors.push(text);
      });
      await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.getByRole('button', { name: trust ? 'Yes, I trust the authors' : 'No, I don\'t trust the authors' }).click({ timeout: 15_000 });
    };
    const closeWorkbench = async (): Promise<void> => {
      await browser?.close().catch(() => undefined);
      await cs?.stop();
      browser = undefined;
      cs = undefined;
    };

    await step('start code-server and open the fixture folder (trusted)', () => openWorkbench('user-data', true));
    const wb = (): Workbench => new Workbench(page!);

    await step('the WAC Doctor view shows its welcome actions', async () => {
      await wb().openViewContainer('wacDoctor');
      const welcome = page!.locator('.pane:has(.pane-header[aria-label*="Results"]) .welcome-view-content');
      await welcome.waitFor({ state: 'visible', timeout: 20_000 });
      const text = await welcome.innerText();
      for (const s of ['Run checks on this machine', 'Analyze logs bundle…', 'Analyze active editor']) expect(text.includes(s), `welcome view lacks "${s}":\n${text}`);
      await page!.screenshot({ path: join(ARTIFACTS, '01-welcome.png') });
    });

    await step('Explorer: WAC Doctor > Analyze Logs Bundle… on an azcmagent logs zip', async () => {
      await wb().openExplorer();
      await wb().explorerRow(BUNDLE).click();
      await page!.locator(`.explorer-folders-view .monaco-list-row.selected[aria-label="${BUNDLE}"]`).waitFor();
      await wb().explorerRow(BUNDLE).click({ button: 'right' });
      await wb().contextSubmenu('WAC Doctor', 'Analyze Logs Bundle…');
      const rows = await eventually('bundle target', () => wb().treeRows(VIEW).allInnerTexts(), (r) => r.some((t) => t.includes(BUNDLE)));
      const text = rows.join('\n');
      expect(new RegExp(`${esc(BUNDLE)}\\s*${esc(summaryText(expectBundle.summary))}`).test(text), `bundle target, expected ${summaryText(expectBundle.summary)}:\n${text}`);
      expect(text.includes('The agent accepts incoming connections on the WAC port'), `bundle rules:\n${text}`);
    });

    await step('bundle findings are Problems on the entries, which open read-only from the zip', async () => {
      await wb().showProblems();
      const problems = await eventually('problems', () => wb().problems(), (p) => p.some((x) => x.file === 'localconfig.json'));
      const dump = problems.map((p) => `${p.file}:${p.line} ${p.severity} ${p.message}`).join('\n');
      expect(problems.some((p) => p.file === 'localconfig.json' && p.line === 3 && p.severity === 'warning' && p.text.includes('incoming-ports')), `bundle problems:\n${dump}`);
      await wb().restorePanel();
      await wb().openViewContainer('wacDoctor');
      await wb().treeRow(VIEW, 'localconfig.json:3').click();
      const tab = page!.locator('.tab.active', { hasText: 'localconfig.json' });
      await tab.waitFor({ timeout: 10_000 });
      const content = await eventually('entry text', () => page!.locator('.editor-group-container.active .editor-instance .view-lines').first().innerText(), (t) => t.includes('incomingconnections.ports'));
      expect(content.includes('"incomingconnections.ports"'), `entry content:\n${content}`);
      // Served by the content provider (no file on disk) and read-only.
      expect((await page!.title()).includes('localconfig.json'), 'window title');
      await page!.keyboard.type('x');
      await page!.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).waitFor({ timeout: 5_000 });
      expect(!existsSync(join(ws, 'ProgramData')), 'the bundle was extracted to disk');
      await page!.screenshot({ path: join(ARTIFACTS, '02-bundle-entry.png') });
    });

    await step('Explorer: WAC Doctor > Analyze Files… on five pasted outputs', async () => {
      await wb().openExplorer();
      await wb().explorerRow('failed-to-connect').click();
      // Select the five outputs (click, shift-click); opening the first can steal focus, so check and retry.
      const selected = page!.locator('.explorer-folders-view .monaco-list-row.selected');
      await eventually('five selected files', async () => {
        await wb().explorerRow('01-azcmagent-show.txt').click();
        await page!.waitForTimeout(300);
        await wb().explorerRow('05-invoke-restmethod-wac.txt').click({ modifiers: ['Shift'] });
        return selected.count();
      }, (n) => n === 5);
      await wb().explorerRow('05-invoke-restmethod-wac.txt').click({ button: 'right' });
      await wb().contextSubmenu('WAC Doctor', 'Analyze Files…');
    });

    await step('the tree shows the target, categories, rule statuses and evidence', async () => {
      const target = wb().treeRow(VIEW, 'failed-to-connect (5 files)');
      await target.waitFor({ state: 'visible', timeout: 20_000 });
      const rows = await eventually('tree rows', () => wb().treeRows(VIEW).allInnerTexts(), (r) => r.some((t) => t.includes('Windows Admin Center gateway')));
      const text = rows.join('\n');
      expect(new RegExp(`failed-to-connect \\(5 files\\)\\s*${esc(summaryText(expectFiles.summary))}`).test(text), `target summary, expected ${summaryText(expectFiles.summary)}:\n${text}`);
      for (const s of ['Inputs', 'Connected Machine agent', 'The Connected Machine agent version works with Windows Admin Center', 'agent-version', '01-azcmagent-show.txt:10', 'Agent Version']) {
        expect(text.includes(s), `tree lacks "${s}":\n${text}`);
      }
      // Status icons: the failing rule has the error codicon, a passing one the pass codicon.
      const failing = wb().treeRow(VIEW, 'The Connected Machine agent version works');
      expect(await failing.locator('.codicon-error').count() === 1, 'agent-version row has no error icon');
      const passing = wb().treeRow(VIEW, 'The Connected Machine agent is Connected and heartbeating');
      expect(await passing.locator('.codicon-pass').count() === 1, 'agent-status row has no pass icon');
      // The view's badge counts failures and warnings.
      await wb().widenSideBar(560);
      const want = String(problemCount(expectFiles.summary) + problemCount(expectBundle.summary));
      await eventually(`activity bar badge ${want} (failures and warnings)`, () => page!.locator('.activitybar a[class*="activity-workbench-view-extension-wacDoctor"] ~ .badge').innerText(), (b) => b.trim() === want, 5_000);
      await page!.screenshot({ path: join(ARTIFACTS, '03-tree.png') });
    });

    await step('Problems: findings on the quoted lines, with rule ids', async () => {
      await wb().showProblems();
      const problems = await eventually('problems', () => wb().problems(), (p) => p.some((x) => x.message.includes('WindowsAdminCenter is stopped')));
      const dump = problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.message} [${p.text.replace(/\s+/g, ' ')}]`).join('\n');
      const has = (file: string, line: number, severity: string, ruleId: string, message: string): void => {
        expect(problems.some((p) => p.file === file && p.line === line && p.severity === severity && p.message.includes(message) && p.text.includes(ruleId) && p.text.includes('WAC Doctor')),
          `Problems lacks ${severity} ${ruleId} at ${file}:${line}:\n${dump}`);
      };
      has('01-azcmagent-show.txt', 10, 'error', 'agent-version', 'Agent 1.36.02345.678 is a release known to break WAC');
      has('03-get-service.txt', 9, 'error', 'wac-service', 'WindowsAdminCenter is stopped');
      has('02-azcmagent-config-list.txt', 3, 'warning', 'incoming-ports', 'the WAC port 6516 is missing');
      // Precise ranges: the underline starts at the quoted text, after the indentation.
      expect(problems.find((p) => p.file === '02-azcmagent-config-list.txt' && p.line === 3)?.column === 3, `column of the indented line:\n${dump}`);
      // Passing and skipped rules make no problems: 2 failures + the warning on its 3 quoted lines (the bundle's are apart).
      expect(problems.filter((p) => p.file !== 'localconfig.json').length === 5, `expected 5 problems, got ${problems.length}:\n${dump}`);
      await page!.screenshot({ path: join(ARTIFACTS, '04-problems.png') });
      await wb().restorePanel();
    });

    await step('clicking evidence opens the file at the line', async () => {
      await wb().openViewContainer('wacDoctor');
      await wb().treeRow(VIEW, '01-azcmagent-show.txt:10').click();
      await page!.locator('.tab.active', { hasText: '01-azcmagent-show.txt' }).waitFor({ timeout: 10_000 });
      await eventually('cursor line', () => wb().statusBarText(), (s) => /Ln 10, Col \d+/.test(s));
    });

    await step('the report webview shows summary, rules, evidence and fix commands', async () => {
      await wb().command('WAC Doctor: Open Report');
      const { locator, frame } = await wb().webviewFrame();
      await locator.locator('h1', { hasText: 'failed-to-connect (5 files)' }).waitFor({ timeout: 20_000 });
      const body = (await locator.locator('body').innerText()).replace(/\s+/g, ' ');
      const counts = (['fail', 'warn', 'pass', 'skip'] as const).map((k) => `${expectFiles.summary[k]} ${{ fail: 'failed', warn: expectFiles.summary.warn === 1 ? 'warning' : 'warnings', pass: 'passed', skip: 'skipped' }[k]}`);
      for (const s of [...counts, 'Connected Machine agent', 'Agent 1.36.02345.678 is a release known to break WAC',
        "Start-Service -Name 'WindowsAdminCenter'", "azcmagent config set incomingconnections.ports '22,6516'", '03-get-service.txt:9']) {
        expect(body.includes(s), `report lacks "${s}"`);
      }
      const headings = await locator.locator('vscode-collapsible').evaluateAll((els) => els.map((e) => e.getAttribute('heading')));
      expect(JSON.stringify(headings) === JSON.stringify(['Machine requirements', 'Connected Machine agent', 'Network path', 'Agent configuration', 'Windows Admin Center gateway', 'AdminCenter extension', `Not checked (${expectFiles.summary.skip})`]), `sections: ${JSON.stringify(headings)}`);
      // The script ran under the CSP: the components are defined and rendered their shadow DOM.
      const f = frame();
      expect(f, 'no webview content frame');
      // Page functions are strings: the root tsconfig (which compiles this file) has no DOM types.
      const defined = await f!.evaluate<boolean[]>("['vscode-collapsible', 'vscode-button', 'vscode-badge'].map((n) => !!customElements.get(n) && !!document.querySelector(n)?.shadowRoot)");
      expect(defined.every(Boolean), `components not upgraded: ${JSON.stringify(defined)}`);
      const csp = await f!.evaluate<string>(`document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? ''`);
      expect(/default-src 'none'/.test(csp) && /script-src 'nonce-[A-Za-z0-9+/=]{20,}'/.test(csp) && !/unsafe-inline|unsafe-eval/.test(csp), `CSP: ${csp}`);
      await wb().command('View: Hide Panel');
      await page!.screenshot({ path: join(ARTIFACTS, '05-report.png') });
    });

    await step('the report\'s Copy button copies the fix command (webview -> extension -> clipboard)', async () => {
      const { locator } = await wb().webviewFrame();
      await locator.locator('vscode-button[data-action="copyFix"][data-rule="wac-service"]').first().click();
      const clip = await eventually('clipboard', () => page!.evaluate<string>('navigator.clipboard.readText()'), (t) => t.includes('Start-Service'));
      expect(clip === "Start-Service -Name 'WindowsAdminCenter'", `clipboard: ${clip}`);
    });

    await step('clicking evidence in the report opens the file at the line', async () => {
      const { locator } = await wb().webviewFrame();
      await locator.locator('a[data-action="openEvidence"][data-rule="wac-service"]').first().click();
      await page!.locator('.tab.active', { hasText: '03-get-service.txt' }).waitFor({ timeout: 10_000 });
      await eventually('cursor line', () => wb().statusBarText(), (t) => /Ln 9, Col \d+/.test(t));
    });

    await step('Copy Summary for Ticket puts the Markdown report on the clipboard', async () => {
      await page!.evaluate('navigator.clipboard.writeText("")');
      await wb().command('WAC Doctor: Copy Summary for Ticket');
      const md = await eventually('clipboard', () => page!.evaluate<string>('navigator.clipboard.readText()'), (t) => t.length > 0);
      expect(md.startsWith('## WAC Doctor report'), `summary:\n${md.slice(0, 300)}`);
      expect(md.includes('WindowsAdminCenter is stopped') && md.includes(summaryText(expectFiles.summary).split(' · ')[0]!), `summary:\n${md.slice(0, 600)}`);
    });

    await step('Export SARIF… writes a valid SARIF file where the save dialog says', async () => {
      await wb().command('WAC Doctor: Export SARIF…', { keepsInputOpen: true });
      // code-server's simple save dialog: the default path (workspace folder) is filled in; accept it.
      const input = page!.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await eventually('default path', () => input.inputValue(), (v) => v.endsWith('.sarif'));
      await input.press('Enter');
      const file = join(ws, 'wac-doctor-failed-to-connect-5-files.sarif');
      await eventually('exported file', () => existsSync(file), (x) => x);
      const sarif = JSON.parse(await eventually('file content', () => readFileSync(file, 'utf8'), (t) => t.trim().endsWith('}'))) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
      expect(sarif.version === '2.1.0', `SARIF version ${sarif.version}`);
      expect(sarif.runs[0]!.results.some((r) => r.ruleId === 'wac-service'), 'SARIF lacks the wac-service result');
    });

    await step('Save Windows Collector Script… writes the shipped collector where the save dialog says', async () => {
      await wb().command('WAC Doctor: Save Windows Collector Script…', { keepsInputOpen: true });
      const input = page!.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await eventually('default path', () => input.inputValue(), (v) => v.endsWith('wac-doctor-collect.ps1'));
      await input.press('Enter');
      const file = join(ws, 'wac-doctor-collect.ps1');
      const want = readFileSync(join(ROOT, 'collector', 'wac-doctor-collect.ps1'), 'utf8');
      await eventually('saved script', () => (existsSync(file) ? readFileSync(file, 'utf8') : ''), (t) => t === want);
    });

    await step('Re-run picks up a corrected output', async () => {
      // The admin adds the WAC port: incoming-ports should pass after Re-run.
      const config = join(ws, 'failed-to-connect', '02-azcmagent-config-list.txt');
      const original = readFileSync(config, 'utf8');
      writeFileSync(config, original.replace('[22]', '[22,6516]'));
      const after = await analyzeFiles(samples, { rules: RULES });
      expect(summaryText(after.summary) !== summaryText(expectFiles.summary), 'the edit changes nothing; pick another');
      await wb().command('WAC Doctor: Re-run');
      await wb().treeRow(VIEW, new RegExp(`failed-to-connect \\(5 files\\)\\s*${esc(summaryText(after.summary))}`)).waitFor({ timeout: 15_000 });
      writeFileSync(config, original);
      await wb().command('WAC Doctor: Re-run');
      await wb().treeRow(VIEW, new RegExp(`failed-to-connect \\(5 files\\)\\s*${esc(summaryText(expectFiles.summary))}`)).waitFor({ timeout: 15_000 });
    });

    await step('Analyze Active Editor on output pasted into an untitled editor', async () => {
      await wb().command('File: New Untitled Text File');
      const editor = page!.locator('.editor-group-container.active .editor-instance .monaco-editor textarea').first();
      await editor.waitFor({ state: 'attached' });
      await editor.focus();
      // Paste, as a user does (typing would auto-indent each line).
      await page!.evaluate(`navigator.clipboard.writeText(${JSON.stringify(pasted)})`);
      await page!.keyboard.press('Control+V');
      await eventually('pasted text', () => page!.locator('.editor-group-container.active .editor-instance .view-lines').first().innerText(), (t) => t.includes('extensions.agent.cpulimit'));
      await wb().command('WAC Doctor: Analyze Active Editor');
      await wb().treeRow(VIEW, new RegExp(`Untitled-1\\s*${esc(summaryText(expectPasted.summary))}`)).waitFor({ timeout: 20_000 });
    });

    await step('the pasted output gets Problems on its lines and a quick fix with the catalog command', async () => {
      await wb().showProblems();
      const problems = await eventually('problems', () => wb().problems(), (p) => p.some((x) => x.file === 'Untitled-1'));
      await wb().restorePanel();
      const mine = problems.filter((p) => p.file === 'Untitled-1').map((p) => `${p.line}:${p.column} ${p.severity} ${p.message}`);
      expect(mine.includes('3:3 warning incomingconnections.ports is []; the WAC port 6516 is missing.'), `Untitled-1 problems:\n${mine.join('\n')}`);
      expect(mine.includes('2:3 warning incomingconnections.ports is []; the WAC port 6516 is missing.'), `Untitled-1 problems:\n${mine.join('\n')}`);
      expect(mine.length === 2, `Untitled-1 problems:\n${mine.join('\n')}`);
      // Click into the quoted text on line 3 and open the quick fixes.
      await page!.locator('.tab', { hasText: 'Untitled-1' }).click();
      const items = await wb().quickFixesAt('incomingconnections.ports');
      expect(items.includes("Copy fix command: azcmagent config set incomingconnections.ports '6516'"), `quick fixes:\n${items}`);
      expect(items.includes("Run fix command in a terminal: azcmagent config set incomingconnections.ports '6516'"), `no run action in a trusted workspace:\n${items}`);
      expect(items.includes('Open documentation for incoming-ports'), `quick fixes:\n${items}`);
      await page!.screenshot({ path: join(ARTIFACTS, '06-quick-fix.png') });
      await page!.keyboard.press('Escape');
    });

    // The fleet: both bundles from one Explorer selection, with the files and the editor analysed above (4 targets).
    await step('Explorer: two bundles selected, Analyze Logs Bundle… opens the Fleet view', async () => {
      await wb().openExplorer();
      const selected = page!.locator('.explorer-folders-view .monaco-list-row.selected');
      const want = [BUNDLE, BUNDLE2].join('|');
      await eventually('the two bundles, and only them, selected', async () => {
        await wb().explorerRow(BUNDLE).click();
        await page!.waitForTimeout(500);
        await wb().explorerRow(BUNDLE2).click({ modifiers: ['Control'] });
        await page!.waitForTimeout(500);
        return (await selected.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).sort().join('|');
      }, (v) => v === want);
      await wb().explorerRow(BUNDLE2).click({ button: 'right' });
      await wb().contextSubmenu('WAC Doctor', 'Analyze Logs Bundle…');
      await wb().treeRow(FLEET_VIEW, '4 machines').waitFor({ timeout: 30_000 });
    });

    // What core says of the same four reports, through the view's own model: the UI must show these.
    const asTargets = (reports: Report[], labels: string[]) => reports.map((report, i) => ({
      id: labels[i]!, kind: 'files' as const, label: labels[i]!, origin: { kind: 'machine' as const }, report, sources: [], lineTexts: {}, analyzedAt: '', durationMs: 0,
    }));
    const fleetTargets = asTargets([expectBundle, expectBundle2, expectFiles, expectPasted], [BUNDLE, BUNDLE2, 'failed-to-connect (5 files)', 'Untitled-1']);
    const expectFleet = fleetIndex(fleetTargets);

    /** Folds or unfolds the Results pane: folded, the Fleet view gets the side bar's height. */
    const resultsPane = async (expanded: boolean): Promise<void> => {
      const header = page!.locator('.pane-header[aria-label*="Results"]').first();
      if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click({ position: { x: 40, y: 10 } });
      await eventually(`Results pane ${expanded ? 'unfolded' : 'folded'}`, () => header.getAttribute('aria-expanded'), (v) => v === String(expanded), 5_000);
    };

    await step('the Fleet view: totals on the root, rules worst first, the machines failing a rule', async () => {
      await resultsPane(false);
      const rootText = await wb().treeRow(FLEET_VIEW, '4 machines').innerText();
      expect(rootText.replace(/\s+/g, ' ').includes(totalsText(expectFleet.totals)), `fleet root, expected ${totalsText(expectFleet.totals)}: ${rootText}`);
      const rows = await eventually('fleet rows', () => wb().treeRows(FLEET_VIEW).allInnerTexts(), (r) => r.some((t) => t.includes('Fixes that unblock the most machines')));
      const text = rows.join('\n');
      const worstRule = expectFleet.rules[0]!;
      expect(worstRule.ruleId === 'agent-version', `worst rule by core: ${worstRule.ruleId}`);
      expect(text.includes(worstRule.title) && text.includes(summaryText(worstRule.counts)), `fleet rows lack ${worstRule.title} ${summaryText(worstRule.counts)}:\n${text}`);
      await wb().treeRow(FLEET_VIEW, worstRule.title).click();
      const under = await eventually('machines under the rule', () => wb().treeRows(FLEET_VIEW).allInnerTexts(), (r) => r.some((t) => t.includes(BUNDLE2)));
      expect(under.some((t) => t.includes('failed-to-connect (5 files)')), `machines under agent-version:\n${under.join('\n')}`);
      expect(!under.some((t) => t.startsWith(BUNDLE)), `the healthy-agent bundle is listed under agent-version:\n${under.join('\n')}`);
      await wb().widenSideBar(620);
      await page!.screenshot({ path: join(ARTIFACTS, '07-fleet-by-rule.png') });
    });

    await step('clicking a machine under a rule opens its report webview at that finding', async () => {
      await wb().treeRow(FLEET_VIEW, BUNDLE2).click();
      const { locator, frame } = await wb().webviewFrame();
      await locator.locator('h1', { hasText: BUNDLE2 }).waitFor({ timeout: 20_000 });
      const focused = locator.locator('details.rule.focused[data-rule="agent-version"]');
      await focused.waitFor({ timeout: 10_000 });
      expect(await focused.getAttribute('open') !== null, 'the focused finding is not open');
      const inView = await eventually('finding scrolled into view', () => frame()!.evaluate<boolean>("(() => { const r = document.querySelector('details.rule.focused').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })()"), (v) => v, 5_000);
      expect(inView, 'the finding is not in view');
      await page!.screenshot({ path: join(ARTIFACTS, '08-fleet-report.png') });
    });

    await step('Group by Machine: machines worst first, each expanding to its problems', async () => {
      await wb().command('WAC Doctor: Group by Machine');
      const first = expectFleet.machines[0]!;
      const firstLabel = first.name;
      expect(firstLabel === 'failed-to-connect (5 files)', `worst machine by the model: ${firstLabel}`);
      const row = wb().treeRow(FLEET_VIEW, firstLabel);
      await row.waitFor({ timeout: 10_000 });
      // VS Code keeps expansion by id across regroupings: expand only a folded row (a click would fold an open one).
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
      // Every problem as its own row (the machine row's description already names the first cause).
      const rows = await eventually('findings under the machine', () => wb().treeRows(FLEET_VIEW).allInnerTexts(),
        (r) => first.problems.every((f) => r.some((t) => t.startsWith(f.title) || t.trimStart().startsWith(f.title))));
      for (const f of first.problems) expect(rows.some((t) => t.includes(f.title)), `findings under ${firstLabel} lack ${f.title}:\n${rows.join('\n')}`);
      await page!.screenshot({ path: join(ARTIFACTS, '09-fleet-by-machine.png') });
    });

    await step('opening a Resource Graph export offers the fleet analysis; accepting adds one machine per row', async () => {
      await wb().openExplorer();
      await wb().explorerRow(ARG_EXPORT).click();
      const toast = page!.locator('.notifications-toasts .notification-toast', { hasText: 'Azure Resource Graph export' });
      await toast.waitFor({ timeout: 20_000 });
      await toast.getByRole('button', { name: 'Analyze Fleet' }).click();
      const machines = 4 + expectArg.length;
      await wb().treeRow(FLEET_VIEW, `${machines} machines`).waitFor({ timeout: 30_000 });
      const all = fleetIndex([...fleetTargets, ...asTargets(expectArg, expectArg.map((r) => r.target!.name))]);
      const rootText = (await wb().treeRow(FLEET_VIEW, `${machines} machines`).innerText()).replace(/\s+/g, ' ');
      expect(rootText.includes(totalsText(all.totals)), `fleet root, expected ${totalsText(all.totals)}: ${rootText}`);
      expect(expectArg.length === classMachines().length && expectArg.every((r) => r.target?.id?.includes('/machines/')), 'core: one report per export row');
    });

    await step('Group by Rule: the fix that unblocks the most machines first; an export machine opens its report', async () => {
      await wb().command('WAC Doctor: Group by Rule');
      const all = fleetIndex([...fleetTargets, ...asTargets(expectArg, expectArg.map((r) => r.target!.name))]);
      const top = all.fixes[0]!;
      const fixes = wb().treeRow(FLEET_VIEW, 'Fixes that unblock the most machines');
      await fixes.waitFor({ timeout: 10_000 });
      const rows = await eventually('fix rows', () => wb().treeRows(FLEET_VIEW).allInnerTexts(), (r) => r.some((t) => t.includes(`${top.machines.length} machine`)));
      const firstFix = rows.findIndex((t) => t.includes('Fixes that unblock the most machines')) + 1;
      expect(rows[firstFix]!.replace(/\s+/g, ' ').includes(`${top.machines.length} machine`), `first fix row, expected ${top.summary} on ${top.machines.length}:\n${rows.join('\n')}`);
      // A machine from the export, under the rule that blocks it, opens its own report at that rule.
      const old = all.machines.find((m) => m.name === 'srv-old-agent')!;
      const cause = old.verdict.cause!;
      // Fold the fixes first: their machine rows carry the same names, and a fix row's text can hold a rule's title.
      if ((await fixes.getAttribute('aria-expanded')) === 'true') await fixes.click();
      const startsWith = (text: string): RegExp => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
      const ruleRow = wb().treeRow(FLEET_VIEW, startsWith(cause.title));
      // Expanded earlier (VS Code keeps expansion by id across the regrouping): a click would fold it.
      if ((await ruleRow.getAttribute('aria-expanded')) === 'false') await ruleRow.click();
      await wb().treeRow(FLEET_VIEW, startsWith('srv-old-agent')).click();
      const { locator } = await wb().webviewFrame();
      await locator.locator('h1', { hasText: 'srv-old-agent' }).waitFor({ timeout: 20_000 });
      await locator.locator(`details.rule.focused[data-rule="${cause.ruleId}"]`).waitFor({ timeout: 10_000 });
      await page!.screenshot({ path: join(ARTIFACTS, '10-fleet-export.png') });
      await resultsPane(true);
    });

    await step('Run Checks on This Machine adds this machine (live probes in the extension host)', async () => {
      await wb().command('WAC Doctor: Run Checks on This Machine');
      const row = wb().treeRow(VIEW, /^This machine/);
      await row.waitFor({ timeout: 30_000 });
      const text = await row.innerText();
      expect(/This machine \(.+\)\s*(\d+ (failed|errors?|warnings?|passed|skipped)( · )?)+/.test(text), `machine target: ${text}`);
      await page!.screenshot({ path: join(ARTIFACTS, '11-this-machine.png') });
    });

    await step("VS Code's own measure of the extension's activation", async () => {
      await wb().command('Developer: Show Running Extensions');
      const rows = page!.locator('.runtime-extensions-editor .monaco-list-row');
      await rows.first().waitFor({ timeout: 15_000 });
      // The list is virtual and sorted by VS Code: page down until our row is rendered.
      const row = rows.filter({ hasText: 'WAC Doctor' }).first();
      const seen = new Set<string>();
      await rows.first().click();
      for (let i = 0; i < 30 && !(await row.isVisible()); i++) {
        for (const t of await rows.allInnerTexts()) seen.add(t.split('\n')[0]!);
        await page!.keyboard.press('PageDown');
        await page!.waitForTimeout(200);
      }
      if (!(await row.isVisible())) throw new Error(`WAC Doctor is not among the running extensions: ${[...seen].join(' | ')}`);
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      const ms = /(\d+)\s*ms/.exec(text);
      expect(ms, `no activation time in: ${text}`);
      activationMs = Number(ms![1]);
      process.stdout.write(`    activation (Running Extensions): ${text}\n`);
      // This figure includes loading the bundle while the workbench starts other extensions on 2 cores, so it
      // varies from run to run (10-90 ms seen); the < 100 ms target is measured by bench/extension.ts. Here it
      // guards against regressions such as pulling the engine into activation.
      expect(activationMs < 500, `activation took ${activationMs} ms`);
    });

    // Restricted Mode: a fresh profile whose user declines trust. Analysis works; running anything does not.
    await step('Restricted Mode: the extension runs, the welcome view says what needs trust', async () => {
      await closeWorkbench();
      await openWorkbench('user-data-restricted', false);
      await wb().openViewContainer('wacDoctor');
      const welcome = page!.locator('.pane:has(.pane-header[aria-label*="Results"]) .welcome-view-content');
      await welcome.waitFor({ state: 'visible', timeout: 20_000 });
      const text = await welcome.innerText();
      expect(text.includes('Analyze logs bundle…') && text.includes('trusted workspace'), `restricted welcome:\n${text}`);
      expect(!text.includes('Run checks on this machine'), `restricted welcome offers live checks:\n${text}`);
    });

    await step('Restricted Mode: analysis works, fixes can be copied but not run, live checks are not offered', async () => {
      await wb().openExplorer();
      await wb().explorerRow('failed-to-connect').click();
      await wb().explorerRow('02-azcmagent-config-list.txt').click({ button: 'right' });
      await wb().contextSubmenu('WAC Doctor', 'Analyze Files…');
      await wb().treeRow(VIEW, /02-azcmagent-config-list\.txt\s*\d+ warning/).waitFor({ timeout: 20_000 });
      await wb().treeRow(VIEW, '02-azcmagent-config-list.txt:3').click();
      await page!.locator('.tab.active', { hasText: '02-azcmagent-config-list.txt' }).waitFor();
      const items = await wb().quickFixesAt('incomingconnections.ports');
      expect(items.includes("Copy fix command: azcmagent config set incomingconnections.ports '22,6516'"), `restricted quick fixes:\n${items}`);
      expect(!items.includes('Run fix command'), `restricted quick fixes offer Run:\n${items}`);
      await page!.keyboard.press('Escape');
      await page!.keyboard.press('F1');
      await page!.locator('.quick-input-widget input').fill('>WAC Doctor: Run Checks');
      await page!.waitForTimeout(500);
      const offered = await page!.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts();
      await page!.keyboard.press('Escape');
      expect(!offered.some((l) => l.includes('Run Checks on This Machine')), `palette offers live checks in Restricted Mode: ${offered.join(' | ')}`);
      await wb().command('WAC Doctor: Open Report');
      const { locator } = await wb().webviewFrame();
      await locator.locator('h1', { hasText: '02-azcmagent-config-list.txt' }).waitFor({ timeout: 20_000 });
      expect(await locator.locator('[data-action="copyFix"]').count() > 0, 'no Copy buttons');
      expect(await locator.locator('[data-action="runFix"]').count() === 0, 'Run buttons in Restricted Mode');
      await page!.screenshot({ path: join(ARTIFACTS, '12-restricted-mode.png') });
    });

    await step('control: the console check does see a CSP violation in the report webview', async () => {
      // An inline script without the nonce, added to the report page: the CSP must block it and the
      // browser must say so in the console this harness listens to. Then the control's message is dropped.
      const { frame } = await wb().webviewFrame();
      const before = cspViolations.length;
      await frame()!.evaluate("(() => { const s = document.createElement('script'); s.textContent = 'window.__unsafe = 1'; document.body.appendChild(s); return window.__unsafe === undefined; })()")
        .then((blocked) => expect(blocked, 'the inline script ran: the CSP did not block it'));
      await eventually('CSP console message', () => cspViolations.length, (n) => n > before, 5_000);
      cspViolations.splice(before);
    });

    await step('no Content-Security-Policy violation in the console', () => {
      expect(cspViolations.length === 0, `CSP violations:\n${cspViolations.join('\n')}`);
    });
  } finally {
    if (page && stopped) await page.screenshot({ path: join(ARTIFACTS, 'failure.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await cs?.stop();
    if (!stopped) rmSync(dir, { recursive: true, force: true });
    else {
      process.stdout.write(`  kept ${dir} (code-server log: ${cs?.logFile ?? 'none'})\n`);
      writeFileSync(join(ARTIFACTS, 'console-errors.txt'), consoleErrors.join('\n'));
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`\nE2E run time ${((Date.now() - started) / 1000).toFixed(1)} s; .vsix ${Math.round(statSync(VSIX).size / 1024)} KB; activation ${activationMs ?? '?'} ms; screenshots in ${ARTIFACTS}\n`);
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`E2E harness error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

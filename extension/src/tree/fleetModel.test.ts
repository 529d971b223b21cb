import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeFleet, type Report } from '../../../core';
import { SCENARIOS, zipBuffer } from '../../../scripts/make-bundles';
import { analyzeBundle } from '../engine';
import { DEFAULT_SETTINGS } from '../model/settings';
import type { AnalysisTarget } from '../model/target';
import { bundleTarget, editorTarget, FAILED_SAMPLE, filesTarget } from '../model/testing';
import { fleetIndex } from './fleetModel';
import { fleetChildren, fleetRoots, ROOT_ID, type FleetNode, type FleetViewOptions, type Grouping } from './fleetNodes';

const options = (grouping: Grouping, extra: Partial<FleetViewOptions> = {}): FleetViewOptions =>
  ({ grouping, redact: true, shown: new Map(), pageSize: 500, ...extra });

/** Every node of the tree, expanding everything (what a user sees after expanding all). */
function expandAll(index: ReturnType<typeof fleetIndex>, o: FleetViewOptions): FleetNode[] {
  const out: FleetNode[] = [];
  const walk = (n: FleetNode | undefined): void => {
    for (const c of fleetChildren(index, n, o)) { out.push(c); walk(c); }
  };
  walk(undefined);
  return out;
}

/** A report as another machine: same findings, its own name (what a fleet of like machines looks like). */
function asMachine(report: Report, name: string): AnalysisTarget {
  return bundleTarget({ ...report, target: { ...report.target!, name } });
}

describe('fleet view model', () => {
  let dir: string;
  const bundles: Record<string, AnalysisTarget> = {};
  let fleet: AnalysisTarget[];
  const files = filesTarget(FAILED_SAMPLE);
  const ticket = editorTarget('ticket.txt', 'Dear support, Windows Admin Center does not open from the portal.\n');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wac-doctor-fleet-'));
    for (const name of ['win-healthy', 'win-agent-136', 'win-incoming-ports', 'win-extension-error']) {
      const path = join(dir, `azcmagent-logs-${name}.zip`);
      writeFileSync(path, await zipBuffer(SCENARIOS[name]!.files()));
      bundles[name] = bundleTarget((await analyzeBundle(path, DEFAULT_SETTINGS))[0]!);
    }
    fleet = [bundles['win-healthy']!, ticket, bundles['win-agent-136']!, files, bundles['win-incoming-ports']!, bundles['win-extension-error']!];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('judges each machine ready, not ready or unknown (core\'s verdicts), and totals them as core\'s summary does', () => {
    const index = fleetIndex(fleet);
    const of = (t: AnalysisTarget): string => index.machines.find((m) => m.targetId === t.id)!.readiness;
    assert.equal(of(bundles['win-healthy']!), 'ready');
    assert.equal(of(bundles['win-incoming-ports']!), 'ready', 'a warning alone does not block');
    assert.equal(of(bundles['win-agent-136']!), 'not-ready');
    assert.equal(of(files), 'not-ready');
    assert.equal(of(ticket), 'unknown', 'text that states nothing: the decisive checks could not run');
    assert.deepEqual(index.totals, { machines: 6, ready: 2, notReady: 3, unknown: 1 });
    const core = summarizeFleet(fleet.map((t) => t.report));
    assert.deepEqual(index.summary, core);
    // Warnings block under failOn: warn.
    assert.equal(fleetIndex(fleet, { blocking: 'warn' }).machines.find((m) => m.targetId === bundles['win-incoming-ports']!.id)!.readiness, 'not-ready');
  });

  it('shows the totals on the one root, expanded', () => {
    const roots = fleetRoots(fleetIndex(fleet), options('rule'));
    assert.equal(roots.length, 1);
    assert.equal(roots[0]!.label, '6 machines');
    assert.equal(roots[0]!.description, '2 ready · 3 not ready · 1 unknown');
    assert.equal(roots[0]!.collapsible, 'expanded');
    assert.deepEqual(fleetRoots(fleetIndex([]), options('rule')), []);
  });

  it('by rule: the fixes first, then rules failing on the most machines, with their counts', () => {
    const index = fleetIndex(fleet);
    const kids = fleetChildren(index, fleetRoots(index, options('rule'))[0], options('rule'));
    assert.equal(kids[0]!.kind, 'fixes');
    const rules = kids.slice(1);
    assert.ok(rules.every((r) => r.kind === 'rule'));
    // agent-version fails on two machines (the 1.36 bundle, the pasted sample): the most.
    assert.equal(rules[0]!.id, `${ROOT_ID}/rule/agent-version`);
    assert.match(rules[0]!.description!, /^2 failed · \d+ passed/);
    const failing = rules.map((r) => index.rules.find((x) => `${ROOT_ID}/rule/${x.ruleId}` === r.id)!);
    const counts = failing.map((r) => [r.counts.fail + r.counts.error, r.counts.warn]);
    assert.deepEqual(counts, [...counts].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]!), 'worst first');
    // Only rules with a problem somewhere; a warning-only rule is listed after the failing ones.
    assert.ok(!rules.some((r) => r.id.endsWith('/agent-status')), 'a rule passing everywhere is not listed');
    assert.equal(rules.at(-1)!.icon!.id, 'warning');
    assert.ok(rules.some((r) => r.id.endsWith('/incoming-ports')));
  });

  it('by rule: a rule lists the machines failing it, each opening its report at that rule', () => {
    const index = fleetIndex(fleet);
    const rule = fleetChildren(index, fleetRoots(index, options('rule'))[0], options('rule')).find((n) => n.id.endsWith('/agent-version'))!;
    const machines = fleetChildren(index, rule, options('rule'));
    assert.deepEqual(machines.map((m) => m.label).sort(), [bundles['win-agent-136']!.label, files.label].sort());
    for (const m of machines) {
      assert.equal(m.kind, 'machine');
      assert.equal(m.collapsible, undefined, 'a leaf');
      assert.equal(m.open!.ruleId, 'agent-version');
      assert.equal(m.contextValue, 'target');
      assert.match(m.description!, /1\.36/, 'the finding\'s message says why');
      assert.equal(m.parentId, rule.id);
    }
  });

  it('by machine: not ready first, each described by its first blocking cause, expanding to its problems', () => {
    const index = fleetIndex(fleet);
    const o = options('machine');
    const machines = fleetChildren(index, fleetRoots(index, o)[0], o).filter((n) => n.kind === 'machine');
    assert.equal(machines.length, 6);
    // The pasted sample has two failures: first; the unknown ticket after the not-ready ones; ready last,
    // those with warnings before the clean ones.
    assert.equal(machines[0]!.label, files.label);
    assert.deepEqual(machines.slice(3).map((m) => m.label), [ticket.label, bundles['win-incoming-ports']!.label, bundles['win-healthy']!.label]);
    assert.equal(machines[0]!.description, files.report.results.find((f) => f.status === 'fail')!.title);
    // Core names what left it unknown: the first decisive rule that had no facts.
    const undecided = fleetIndex(fleet).machines.find((m) => m.targetId === ticket.id)!.verdict.cause!;
    assert.equal(undecided.status, 'skip');
    assert.equal(machines[3]!.description, `unknown · not checked: ${undecided.title}`);
    assert.equal(machines.find((m) => m.label === bundles['win-incoming-ports']!.label)!.description, 'ready · 1 warning');
    assert.equal(machines.find((m) => m.label === bundles['win-healthy']!.label)!.collapsible, undefined, 'nothing to expand');
    const findings = fleetChildren(index, machines[0], o);
    assert.deepEqual(findings.map((f) => f.icon!.id), ['error', 'error', 'warning']);
    const agent = findings.find((f) => f.ref!.ruleId === 'agent-version')!;
    assert.deepEqual(agent.open, { targetId: files.id, ruleId: 'agent-version' });
    assert.equal(agent.contextValue, 'rule.fixable', 'copy / run fix work on it as in the Results view');
  });

  it('fixes that unblock the most machines: per distinct fix, with how many it alone makes ready', () => {
    const index = fleetIndex(fleet);
    const o = options('rule');
    const fixes = fleetChildren(index, fleetChildren(index, fleetRoots(index, o)[0], o)[0], o);
    const top = fixes[0]!;
    // Both agents are 1.36: one fix. The 1.36 bundle has no other blocker, the pasted sample has wac-service too.
    assert.equal(top.label, `2 machines: ${bundles['win-agent-136']!.report.results.find((f) => f.ruleId === 'agent-version')!.fix!.summary}`);
    assert.equal(top.description, '1 ready by this alone');
    assert.deepEqual(fleetChildren(index, top, o).map((m) => m.open), [files, bundles['win-agent-136']!].map((t) => ({ targetId: t.id, ruleId: 'agent-version' })));
    // The same groups, counts and order as core's top fixes; the view adds which machines.
    assert.deepEqual(index.fixes.map((f) => [f.summary, f.machines.length]), index.summary.topFixes.map((f) => [f.summary, f.machines]));
    const sizes = index.fixes.map((f) => f.machines.length);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    // Only blocking findings have fixes here: the incoming-ports warning is not a fix that unblocks.
    assert.ok(!index.fixes.some((f) => f.ruleIds.includes('incoming-ports')));
    const ext = index.fixes.find((f) => f.ruleIds.includes('extension-status'))!;
    assert.deepEqual(ext.machines.map((mi) => index.machines[mi]!.targetId), [bundles['win-extension-error']!.id]);
    assert.equal(ext.alone, 1);
  });

  it('pages long lists: 500 machines, then "… N more", then the next page', () => {
    const failing = bundles['win-agent-136']!.report;
    const many = Array.from({ length: 1203 }, (_, i) => asMachine(failing, `/fleet/srv-${String(i).padStart(5, '0')}`));
    const index = fleetIndex([...many, bundles['win-healthy']!]);
    const o = options('rule');
    const rule = fleetChildren(index, fleetRoots(index, o)[0], o).find((n) => n.id.endsWith('/agent-version'))!;
    assert.match(rule.description!, /^1203 failed · /);
    const first = fleetChildren(index, rule, o);
    assert.equal(first.length, 501);
    const more = first.at(-1)!;
    assert.equal(more.kind, 'more');
    assert.equal(more.label, '… 703 more');
    assert.equal(more.description, 'show 500 more');
    assert.deepEqual(more.more, { listId: rule.id, shown: 500 });
    const next = fleetChildren(index, rule, { ...o, shown: new Map([[rule.id, 1000]]) });
    assert.equal(next.length, 1001);
    assert.equal(next.at(-1)!.label, '… 203 more');
    assert.deepEqual(next.slice(0, 500), first.slice(0, 500), 'the first page stays as it was');
    assert.equal(fleetChildren(index, rule, { ...o, shown: new Map([[rule.id, 1500]]) }).length, 1203);
    // By machine the root's list is paged the same way.
    const m = options('machine');
    const top = fleetChildren(index, fleetRoots(index, m)[0], m);
    assert.equal(top.filter((n) => n.kind === 'machine').length, 500);
    assert.equal(top.at(-1)!.label, '… 704 more');
    assert.equal(top.at(-1)!.more!.listId, `${ROOT_ID}/machines`);
  });

  it('gives every node a unique id, and the same tree twice', () => {
    const index = fleetIndex(fleet);
    for (const g of ['rule', 'machine'] as const) {
      const all = expandAll(index, options(g));
      assert.ok(all.length > 10);
      assert.equal(new Set(all.map((n) => n.id)).size, all.length, `${g}: ids unique`);
      assert.deepEqual(expandAll(fleetIndex(fleet), options(g)), all);
    }
  });

  it('redacts secrets in messages unless told not to', () => {
    const report = bundles['win-agent-136']!.report;
    const sig = 'sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D';
    const leaky: Report = { ...report, results: report.results.map((f) => (f.ruleId === 'agent-version' ? { ...f, message: `${f.message} (download https://example.blob.core.windows.net/a.msi?sv=2024&${sig})` } : f)) };
    const index = fleetIndex([asMachine(leaky, 'leaky'), bundles['win-healthy']!]);
    for (const g of ['rule', 'machine'] as const) {
      assert.ok(!JSON.stringify(expandAll(index, options(g))).includes('Zm9vYmFy'), `${g}: redacted`);
      assert.ok(JSON.stringify(expandAll(index, options(g, { redact: false }))).includes('Zm9vYmFy'), `${g}: shown when redaction is off`);
    }
  });

  it('says so when no check fails or warns anywhere', () => {
    const index = fleetIndex([bundles['win-healthy']!, asMachine(bundles['win-healthy']!.report, 'other')]);
    const kids = fleetChildren(index, fleetRoots(index, options('rule'))[0], options('rule'));
    assert.deepEqual(kids.map((k) => k.label), ['No check fails or warns on any machine']);
    assert.equal(fleetRoots(index, options('rule'))[0]!.description, '2 ready · 0 not ready');
  });
});

import { strict as assert } from 'node:assert';
import { basename } from 'node:path';
import { buildTree, findNode, targetChildren, targetHeader, targetTooltip, type ViewNode } from './tree';
import { editorTarget, FAILED_SAMPLE, filesTarget } from './testing';

const labels = (nodes: readonly ViewNode[]): string[] => nodes.map((n) => n.label);

describe('extension tree model', () => {
  const target = filesTarget(FAILED_SAMPLE);
  const [root] = buildTree([target], { redact: true });

  it('has one node per target, labelled and summarised', () => {
    assert.equal(root!.kind, 'target');
    assert.equal(root!.label, 'failed-to-connect (5 files)');
    assert.match(root!.description!, /^2 failed · 1 warning · \d+ passed · \d+ skipped$/);
    assert.equal(root!.contextValue, 'target');
    assert.deepEqual(root!.icon, { id: 'files', color: 'testing.iconFailed' });
  });

  it('lists inputs first, then categories in catalog order, skipping empty ones', () => {
    const kids = labels(root!.children);
    assert.equal(kids[0], 'Inputs');
    assert.equal(root!.children[0]!.description, '5 recognized');
    assert.deepEqual(kids.slice(1), ['Machine requirements', 'Connected Machine agent', 'Network path', 'Agent configuration',
      'Windows Admin Center gateway', 'AdminCenter extension', 'Azure resources and access']);
  });

  it('gives rules status icons, worst first, and expands only categories with problems', () => {
    const agent = root!.children.find((c) => c.label === 'Connected Machine agent')!;
    assert.equal(agent.collapsible, 'expanded');
    assert.deepEqual(agent.icon, { id: 'error', color: 'testing.iconFailed' });
    const first = agent.children[0]!;
    assert.equal(first.description, 'agent-version');
    assert.equal(first.icon!.id, 'error');
    assert.equal(first.contextValue, 'rule.fixable');
    const statuses = agent.children.map((r) => r.icon!.id);
    assert.deepEqual(statuses, [...statuses].sort((a, b) => ['bug', 'error', 'warning', 'pass', 'circle-slash'].indexOf(a) - ['bug', 'error', 'warning', 'pass', 'circle-slash'].indexOf(b)));
    const requirements = root!.children.find((c) => c.label === 'Machine requirements')!;
    assert.equal(requirements.collapsible, 'collapsed');
    assert.ok(requirements.children.some((r) => r.icon!.id === 'circle-slash'), 'skipped rules are listed with the skip icon');
  });

  it('puts message, evidence with a location, and fix commands under a failing rule', () => {
    const rule = findNode([root!], `${target.id}/agent/agent-version`)!;
    assert.deepEqual(rule.children.map((c) => c.kind), ['message', 'evidence', 'fix']);
    const ev = rule.children[1]!;
    assert.equal(ev.label, '01-azcmagent-show.txt:10');
    assert.equal(ev.description, 'Agent Version                           : 1.36.02345.678'.replace(/\s+/g, ' '));
    assert.deepEqual(ev.location, { doc: { kind: 'uri', uri: `file://${FAILED_SAMPLE[0]}` }, line: 10 });
    const fix = rule.children[2]!;
    assert.equal(fix.children.length, 2);
    assert.equal(fix.children[1]!.label, 'msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v installationlog.txt');
    assert.deepEqual(fix.children[1]!.ref, { targetId: target.id, ruleId: 'agent-version', commandIndex: 1 });
    assert.equal(fix.children[1]!.contextValue, 'fixCommand');
  });

  it('has no message or fix under a passing rule, and ids unique and stable', () => {
    const pass = findNode([root!], `${target.id}/agent/agent-status`)!;
    assert.equal(pass.icon!.id, 'pass');
    assert.ok(pass.children.every((c) => c.kind === 'evidence'));
    const ids: string[] = [];
    const walk = (n: ViewNode): void => { ids.push(n.id); n.children.forEach(walk); };
    walk(root!);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(buildTree([target], { redact: true }), [root], 'building twice gives the same tree');
  });

  it('marks unrecognised inputs and opens the inputs node', () => {
    const t = filesTarget([FAILED_SAMPLE[0]!, '/nowhere/notes.txt'], { '/nowhere/notes.txt': 'Dear support, it does not work.\n' });
    const inputs = buildTree([t], { redact: true })[0]!.children[0]!;
    assert.equal(inputs.description, '1 of 2 recognized');
    assert.equal(inputs.collapsible, 'expanded');
    assert.equal(inputs.children[1]!.description, 'not recognized');
    assert.equal(inputs.children[1]!.icon!.id, 'warning');
  });

  it('redacts secrets quoted in evidence unless told not to', () => {
    const text = 'Local Configuration Settings\n  incomingconnections.enabled (preview)   : true\n  incomingconnections.ports (preview)     : []\n  proxy.url                               : http://admin:S3cret@proxy.contoso.com:8080\n';
    const t = editorTarget('Untitled-3', text);
    const find = (redact: boolean): string => JSON.stringify(buildTree([t], { redact }));
    assert.ok(!find(true).includes('S3cret'));
    assert.ok(find(false).includes('S3cret'));
  });

  it('orders several targets as given and labels editors by name', () => {
    const e = editorTarget('Untitled-1', 'not an output');
    const nodes = buildTree([e, target], { redact: true });
    assert.deepEqual(labels(nodes), ['Untitled-1', 'failed-to-connect (5 files)']);
    assert.equal(basename(FAILED_SAMPLE[0]!), '01-azcmagent-show.txt');
  });

  it('makes a target\'s row apart from its children (the view makes those on expanding)', () => {
    const header = targetHeader(target, { redact: true });
    assert.deepEqual(header.children, []);
    assert.deepEqual({ ...header, children: targetChildren(target, { redact: true }) }, root);
    // Thousands of targets: the row without its tooltip, which the view makes on hover.
    const bare = targetHeader(target, { redact: true, tooltips: false });
    assert.equal(bare.tooltip, undefined);
    assert.equal(targetTooltip(target, { redact: true }), header.tooltip);
    assert.match(header.tooltip!, /failed-to-connect \(5 files\)\n/);
  });
});

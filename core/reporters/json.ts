/**
 * The JSON contract, version 1. Objects are rebuilt field by field so the key order is stable and
 * nothing outside the contract leaks into the output.
 */
import type { RenderOptions, Reporter } from './index';
import type { InputSummary, Report, Summary } from '../report';
import { redactDeep } from '../redact';
import type { Evidence, Finding, Fix } from '../types';

function inputJson(i: InputSummary): InputSummary {
  const o: Record<string, unknown> = { path: i.path, kind: i.kind };
  if (i.label !== undefined) o.label = i.label;
  o.status = i.status;
  o.messages = [...i.messages];
  o.facts = i.facts;
  return o as unknown as InputSummary;
}

function evidenceJson(e: Evidence): Evidence {
  const o: Evidence = { source: e.source };
  if (e.path !== undefined) o.path = e.path;
  if (e.line !== undefined) o.line = e.line;
  if (e.excerpt !== undefined) o.excerpt = e.excerpt;
  return o;
}

function fixJson(f: Fix): Fix {
  return { summary: f.summary, commands: f.commands.map((c) => ({ shell: c.shell, command: c.command })) };
}

function findingJson(f: Finding): Finding {
  const o: Record<string, unknown> = {
    ruleId: f.ruleId, status: f.status, title: f.title, category: f.category, message: f.message,
    evidence: f.evidence.map(evidenceJson),
  };
  if (f.fix) o.fix = fixJson(f.fix);
  o.docsUrl = f.docsUrl;
  if (f.missing !== undefined) o.missing = [...f.missing];
  return o as unknown as Finding;
}

function summaryJson(s: Summary): Summary {
  return { pass: s.pass, fail: s.fail, warn: s.warn, skip: s.skip, error: s.error };
}

/** The report as a plain object in contract order (not redacted). */
export function toJsonContract(report: Report): Report {
  return {
    version: 1,
    tool: { name: report.tool.name, version: report.tool.version },
    generatedAt: report.generatedAt,
    inputs: report.inputs.map(inputJson),
    results: report.results.map(findingJson),
    summary: summaryJson(report.summary),
  };
}

export const renderJson: Reporter = (report: Report, options: RenderOptions): string => {
  const contract = toJsonContract(report);
  return JSON.stringify(options.redact ? redactDeep(contract) : contract, null, 2) + '\n';
};

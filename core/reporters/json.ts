/**
 * The JSON contract, version 1. Objects are rebuilt field by field so the key order is stable and
 * nothing outside the contract leaks into the output. A report's `target` follows `generatedAt` and
 * is omitted when absent (plain pasted files keep the original shape); a MultiReport is
 * `{version, tool, generatedAt, reports[], crossSummary[]}` with each report in the same contract.
 */
import { orderFindings } from '../model/order';
import { isMultiReport, type RenderOptions, type Reporter } from './index';
import type { CrossRow, InputSummary, MultiReport, Report, Summary, TargetSummary } from '../model/report';
import { redactDeep } from '../text/redact';
import type { Evidence, Finding, Fix } from '../model/types';

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
  if (e.prose) o.prose = true;
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

function targetJson(t: TargetSummary): TargetSummary {
  const o: TargetSummary = { kind: t.kind, name: t.name };
  if (t.machine !== undefined) o.machine = t.machine;
  if (t.id !== undefined) o.id = t.id;
  if (t.os !== undefined) o.os = t.os;
  if (t.agentVersion !== undefined) o.agentVersion = t.agentVersion;
  if (t.timeRange !== undefined) o.timeRange = { from: t.timeRange.from, to: t.timeRange.to };
  if (t.filesFound !== undefined) o.filesFound = [...t.filesFound];
  if (t.filesMissing !== undefined) o.filesMissing = [...t.filesMissing];
  if (t.notes !== undefined) o.notes = [...t.notes];
  return o;
}

function crossRowJson(r: CrossRow): CrossRow {
  return { ruleId: r.ruleId, title: r.title, counts: summaryJson(r.counts), failing: [...r.failing] };
}

/** The report as a plain object in contract order (not redacted). */
export function toJsonContract(report: Report): Report {
  return {
    version: 1,
    tool: { name: report.tool.name, version: report.tool.version },
    generatedAt: report.generatedAt,
    ...(report.target !== undefined ? { target: targetJson(report.target) } : {}),
    inputs: report.inputs.map(inputJson),
    results: orderFindings(report.results).map(findingJson),
    summary: summaryJson(report.summary),
    ...(report.conclusion ? { conclusion: { verdict: report.conclusion.verdict, message: report.conclusion.message, collect: report.conclusion.collect.map((c) => ({ why: c.why, shell: c.shell, command: c.command })) } } : {}),
  };
}

/** A MultiReport as a plain object in contract order (not redacted). */
export function toMultiJsonContract(multi: MultiReport): MultiReport {
  return {
    version: 1,
    tool: { name: multi.tool.name, version: multi.tool.version },
    generatedAt: multi.generatedAt,
    reports: multi.reports.map(toJsonContract),
    crossSummary: multi.crossSummary.map(crossRowJson),
  };
}

export const renderJson: Reporter = (report: Report | MultiReport, options: RenderOptions): string => {
  const contract = isMultiReport(report) ? toMultiJsonContract(report) : toJsonContract(report);
  return JSON.stringify(options.redact ? redactDeep(contract) : contract, null, 2) + '\n';
};

/**
 * The fleet report in the formats made of pieces: JSON (the multi-target contract, one report per machine in
 * `reports`, plus `fleet`: the summary and the pages) and CSV (one row per machine) are written piece by piece, so
 * `analyze` streams a 100,000-machine fleet through the same writer that renderFleetReport uses for a held one (the
 * VS Code export); markdown is the fleet summary, then the machines' reports.
 */
import { crossSummary, multiReport, TOOL_NAME, TOOL_VERSION, type CrossRow, type InputSummary, type Report } from '../model/report';
import { csvHeader, csvRow } from '../reporters/csv';
import { toJsonContract } from '../reporters/json';
import { renderMarkdown } from '../reporters/markdown';
import type { RenderOptions } from '../reporters/shared';
import { redactDeep } from '../text/redact';
import { fleetSummaryMarkdown } from './render';
import type { FleetSummary } from './summary';

export const FLEET_REPORT_FORMATS = ['csv', 'markdown', 'json'] as const;
export type FleetReportFormat = (typeof FLEET_REPORT_FORMATS)[number];

/** A fleet as held: every machine's report, the summary and the export pages. */
export interface FleetReport {
  reports: readonly Report[];
  summary: FleetSummary;
  pages: readonly InputSummary[];
  generatedAt?: string;
}

/** The JSON fleet report in pieces: head(), report() per machine, tail(); their concatenation is one JSON document. */
export class FleetJsonWriter {
  private readonly cross = new Map<string, CrossRow>();
  private count = 0;

  constructor(private readonly redact: boolean, private readonly generatedAt = new Date().toISOString()) {}

  head(): string {
    return `{\n"version": 1,\n"tool": ${JSON.stringify({ name: TOOL_NAME, version: TOOL_VERSION })},\n"generatedAt": ${JSON.stringify(this.generatedAt)},\n"reports": [\n`;
  }

  report(report: Report): string {
    // The cross summary of all reports, added up one report at a time (crossSummary's rows, in its order).
    for (const row of crossSummary([report])) {
      const had = this.cross.get(row.ruleId);
      if (!had) this.cross.set(row.ruleId, row);
      else {
        for (const k of Object.keys(row.counts) as Array<keyof typeof row.counts>) had.counts[k] += row.counts[k];
        had.failing.push(...row.failing);
      }
    }
    const contract = toJsonContract(report);
    return `${this.count++ === 0 ? '' : ',\n'}${JSON.stringify(this.redact ? redactDeep(contract) : contract, null, 2)}`;
  }

  tail(summary: FleetSummary, pages: readonly InputSummary[]): string {
    const fleet = { summary, pages };
    return `\n],\n"crossSummary": ${JSON.stringify([...this.cross.values()], null, 2)},\n"fleet": ${JSON.stringify(this.redact ? redactDeep(fleet) : fleet, null, 2)}\n}\n`;
  }
}

/** The whole fleet report as one text. */
export function renderFleetReport(format: FleetReportFormat, fleet: FleetReport, options: RenderOptions): string {
  const generatedAt = fleet.generatedAt ?? new Date().toISOString();
  switch (format) {
    case 'csv':
      return csvHeader() + fleet.reports.map((r) => csvRow(r, options)).join('');
    case 'json': {
      const w = new FleetJsonWriter(options.redact, generatedAt);
      return w.head() + fleet.reports.map((r) => w.report(r)).join('') + w.tail(fleet.summary, fleet.pages);
    }
    case 'markdown':
      return `${fleetSummaryMarkdown(fleet.summary, { redact: options.redact, verbose: options.verbose })}\n${renderMarkdown(multiReport([...fleet.reports], generatedAt), options)}`;
  }
}

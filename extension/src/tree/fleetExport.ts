/**
 * "Export Fleet Report…": what the Fleet view shows, as one file. vscode-free (mocha tests it): the formats offered,
 * the default file name, and the fleet to render (every target's report, and the export pages of the fleet
 * origins among them, with their problems). The text itself is core's (engine.renderFleetExport), as
 * `wac-doctor analyze -f csv|markdown|json` writes it.
 */
import type { FleetReportFormat, InputSummary, Report } from '../../../core';
import type { AnalysisTarget, Origin } from '../model/target';

export interface FleetExportFormat {
  format: FleetReportFormat;
  label: string;
  detail: string;
  ext: string;
  filter: string;
}

export const FLEET_EXPORT_FORMATS: readonly FleetExportFormat[] = [
  { format: 'csv', label: 'CSV', detail: 'one row per machine: readiness, first blocking cause, its fix (for Excel)', ext: 'csv', filter: 'CSV' },
  { format: 'markdown', label: 'Markdown', detail: 'the fleet summary, then every machine\'s report (for a ticket or a wiki)', ext: 'md', filter: 'Markdown' },
  { format: 'json', label: 'JSON', detail: 'one report per machine, the cross summary and the fleet summary (the CLI\'s JSON contract)', ext: 'json', filter: 'JSON' },
];

/** Export pages of a fleet analysis, by origin (fleetOriginKey). */
export type FleetPages = ReadonlyMap<string, readonly InputSummary[]>;

export const fleetOriginKey = (origin: Origin): string => JSON.stringify(origin);

export function fleetExportInput(targets: readonly AnalysisTarget[], pages: FleetPages): { reports: Report[]; pages: InputSummary[] } {
  const origins = new Set<string>();
  for (const t of targets) if (t.origin.kind === 'fleet') origins.add(fleetOriginKey(t.origin));
  return { reports: targets.map((t) => t.report), pages: [...origins].flatMap((k) => [...(pages.get(k) ?? [])]) };
}

/** `wac-doctor-fleet-<machines>.<ext>`: the name says how many machines it holds. */
export function fleetExportFileName(targets: readonly AnalysisTarget[], format: FleetExportFormat): string {
  return `wac-doctor-fleet-${targets.length}-machine${targets.length === 1 ? '' : 's'}.${format.ext}`;
}

/**
 * Fleet triage from Azure Resource Graph exports: the public API (stable; the VS Code fleet view builds on it).
 *
 * Query and export
 * - fleetQuery(): { kql, commands[] }           the KQL (FLEET_KQL) and the az / Search-AzGraph paging commands
 * - fleetQueryText(): string                    what `wac-doctor fleet-query` prints
 * Recognise and analyze
 * - sniffFleetExport(path): Promise<boolean>    content sniffing (core/targets classifyInput returns 'fleet')
 * - sniffFleetStream(stream): Promise<boolean>  the same for standard input; its head is put back (unshift)
 * - analyzeFleet(paths, FleetOptions): Promise<FleetRun>
 *     one Report per machine (target { kind: 'machine', name, machine, id }), via options.onReport(report, machine)
 *     (then nothing is kept: streaming) or in run.reports; run.inputs: one InputSummary per page with its problems;
 *     run.summary: FleetSummary; the page `-` is options.stdin, read once (plain rows spilled for pass 2);
 *     reports kept (no onReport) share equal strings and findings (core/fleet/share)
 * - analyzeFleetWithSnapshots(fleetPaths, snapshotPaths, options): Promise<MergedFleetRun>  snapshots merged per machine
 * - readPage(path, onRow, stream?): Promise<PageResult>  one page's rows, streamed (from the file, or the stream)
 * Summary (pure)
 * - summarizeFleet(reports, SummaryOptions?): FleetSummary; FleetSummaryBuilder (add(report) / result())
 * - machineVerdict(report, SummaryOptions?): MachineVerdict { name, id?, readiness, cause?, blockingRules }
 * - Readiness = 'ready' | 'not-ready' | 'unknown'; READINESS_DEFINITIONS; DECISIVE_RULES
 * Render and follow up
 * - fleetSummaryText(summary, pages, opts), fleetSummaryMarkdown(summary, opts)
 * - renderFleetReport(csv|markdown|json, { reports, summary, pages }, RenderOptions); FleetJsonWriter (head, report, tail)
 * - collectCommands(CollectTarget, collectorPath): CollectResult; targetFromId(id)
 */
export { fleetQuery, fleetQueryText, FLEET_KQL, PLAIN_ROWS_KQL, type FleetQuery } from './query';
export { sniffFleetExport, sniffFleetStream, looksLikeFleetExport } from './sniff';
export { readPage, SHAPE_LABELS, type PageResult, type PageShape } from './pages';
export { analyzeFleet, FLEET_INPUT_KIND, STDIN_PAGE, STDIN_PATH, type FleetOptions, type FleetRun, type HeldMachine } from './analyze';
export { analyzeFleetWithSnapshots, type MergedFleetRun } from './merge';
export type { FleetMachineId } from './machine';
export {
  summarizeFleet, FleetSummaryBuilder, machineVerdict, DECISIVE_RULES, READINESS_DEFINITIONS,
  type FleetSummary, type MachineVerdict, type MachineCause, type Readiness, type FailingRule, type FixGroup, type SummaryOptions,
} from './summary';
export { fleetSummaryLines, fleetSummaryText, fleetSummaryMarkdown, type FleetRenderOptions } from './render';
export { collectCommands, targetFromId, RUN_COMMAND_NAME, type CollectTarget, type CollectPlan, type CollectResult } from './collect';
export { renderFleetReport, FleetJsonWriter, FLEET_REPORT_FORMATS, type FleetReport, type FleetReportFormat } from './report';

/**
 * Fleet triage from Azure Resource Graph exports: the public API (stable; the VS Code fleet view builds on it).
 *
 * Query and export
 * - fleetQuery(): { kql, commands[] }           the KQL (FLEET_KQL) and the az / Search-AzGraph paging commands
 * - fleetQueryText(): string                    what `wac-doctor fleet-query` prints
 * Recognise and analyze
 * - sniffFleetExport(path): Promise<boolean>    content sniffing (core/targets classifyInput returns 'fleet')
 * - analyzeFleet(paths, FleetOptions): Promise<FleetRun>
 *     one Report per machine (target { kind: 'machine', name, machine, id }), via options.onReport(report, machine)
 *     (then nothing is kept: streaming) or in run.reports; run.inputs: one InputSummary per page with its problems;
 *     run.summary: FleetSummary
 * - analyzeFleetWithSnapshots(fleetPaths, snapshotPaths, options): Promise<MergedFleetRun>  snapshots merged per machine
 * - readPage(path, onRow): Promise<PageResult>  one page's rows, streamed
 * Summary (pure)
 * - summarizeFleet(reports, SummaryOptions?): FleetSummary; FleetSummaryBuilder (add(report) / result())
 * - machineVerdict(report, SummaryOptions?): MachineVerdict { name, id?, readiness, cause?, blockingRules }
 * - Readiness = 'ready' | 'not-ready' | 'unknown'; READINESS_DEFINITIONS; DECISIVE_RULES
 * Render and follow up
 * - fleetSummaryText(summary, pages, opts), fleetSummaryMarkdown(summary, opts)
 * - collectCommands(CollectTarget, collectorPath): CollectResult; targetFromId(id)
 */
export { fleetQuery, fleetQueryText, FLEET_KQL, PLAIN_ROWS_KQL, type FleetQuery } from './query';
export { sniffFleetExport, looksLikeFleetExport } from './sniff';
export { readPage, SHAPE_LABELS, type PageResult, type PageShape } from './pages';
export { analyzeFleet, FLEET_INPUT_KIND, type FleetOptions, type FleetRun, type HeldMachine } from './analyze';
export { analyzeFleetWithSnapshots, type MergedFleetRun } from './merge';
export type { FleetMachineId } from './machine';
export {
  summarizeFleet, FleetSummaryBuilder, machineVerdict, DECISIVE_RULES, READINESS_DEFINITIONS,
  type FleetSummary, type MachineVerdict, type MachineCause, type Readiness, type FailingRule, type FixGroup, type SummaryOptions,
} from './summary';
export { fleetSummaryLines, fleetSummaryText, fleetSummaryMarkdown, type FleetRenderOptions } from './render';
export { collectCommands, targetFromId, RUN_COMMAND_NAME, type CollectTarget, type CollectPlan, type CollectResult } from './collect';

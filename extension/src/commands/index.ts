/** Registers every contributed command. Errors end as one-line messages (details in the log). */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { ReportPanel } from '../webview/reportPanel';
import type { FleetTree } from '../tree/fleetTree';
import type { ResultsTree } from '../tree/resultsTree';
import { analyzeActiveEditor, analyzeBundle, analyzeFiles, analyzeFleetExport, checkMachine, rerunTarget } from './analyze';
import { refOf } from './args';
import { copyFixCommand, openDocs, openEvidence, runFixCommand } from './fixes';
import { exportFleetReport, groupFleet, showMoreFleet } from './fleet';
import { Cancelled } from './progress';
import { copySummary, exportReport, openReport, saveCollectorScript } from './share';

export function registerCommands(ctx: Ctx, tree: ResultsTree, fleet: FleetTree, panel: ReportPanel): void {
  const deps = { ctx, tree, fleet };
  const commands: Record<string, (...args: unknown[]) => void | Promise<void>> = {
    'wacDoctor.checkMachine': () => checkMachine(deps),
    'wacDoctor.analyzeBundle': (arg, all) => analyzeBundle(deps, arg, all),
    'wacDoctor.analyzeFiles': (arg, all) => analyzeFiles(deps, arg, all),
    'wacDoctor.analyzeActiveEditor': () => analyzeActiveEditor(deps),
    'wacDoctor.analyzeFleetExport': (arg, all) => analyzeFleetExport(deps, arg, all),
    'wacDoctor.openReport': (arg) => openReport(ctx, panel, arg),
    'wacDoctor.copySummary': (arg) => copySummary(ctx, arg),
    'wacDoctor.exportSarif': (arg) => exportReport(ctx, 'sarif', arg),
    'wacDoctor.exportJunit': (arg) => exportReport(ctx, 'junit', arg),
    'wacDoctor.exportJson': (arg) => exportReport(ctx, 'json', arg),
    'wacDoctor.saveCollectorScript': () => saveCollectorScript(ctx),
    'wacDoctor.rerun': async (arg) => {
      // With a target (tree item, webview): that one; from the palette or view title: all of them.
      const ref = refOf(arg);
      const targets = ref ? [ctx.store.get(ref.targetId)].filter((t) => t !== undefined) : [...ctx.store.list()];
      // One analysis per origin: the machines of one fleet export, or one folder of bundles, share theirs.
      const origins = new Set<string>();
      for (const t of targets) {
        const key = JSON.stringify(t.origin);
        if (origins.has(key)) continue;
        origins.add(key);
        await rerunTarget(deps, t, { reveal: false });
      }
    },
    'wacDoctor.remove': (arg) => { const ref = refOf(arg); if (ref) ctx.store.remove(ref.targetId); },
    'wacDoctor.clear': () => ctx.store.clear(),
    'wacDoctor.copyFixCommand': (arg) => copyFixCommand(ctx, arg),
    'wacDoctor.runFixCommand': (arg) => runFixCommand(ctx, arg),
    'wacDoctor.openDocs': (arg) => openDocs(ctx, arg),
    'wacDoctor.openEvidence': (arg) => openEvidence(ctx, arg),
    'wacDoctor.fleetGroupByRule': () => groupFleet(fleet, 'rule'),
    'wacDoctor.fleetGroupByMachine': () => groupFleet(fleet, 'machine'),
    'wacDoctor.fleetShowMore': (arg) => showMoreFleet(fleet, arg),
    'wacDoctor.exportFleetReport': () => exportFleetReport(ctx, fleet),
  };
  for (const [id, run] of Object.entries(commands)) {
    ctx.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (err) {
        if (!(err instanceof Cancelled)) ctx.reportError(id.replace('wacDoctor.', ''), err);
      }
    }));
  }
}

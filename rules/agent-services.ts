/**
 * agent-services: the Connected Machine agent's services. himds carries the connection WAC uses; the
 * extension service installs and updates the AdminCenter extension; the guest configuration service does
 * not matter for WAC; arcproxy only matters when the agent uses an Arc gateway.
 */
import { defineRule, fail, pass, skipMissing, warn, type Outcome } from '../core/engine/rule';
import { fixes, type KnownService } from '../core/catalog/fixes';
import type { ServiceFact, ServiceState } from '../core/model/facts';
import type { Fix } from '../core/model/types';

type Role = 'core' | 'extension' | 'gc' | 'proxy';

interface RoleDef {
  role: Role;
  windows: KnownService;
  linux: KnownService;
}

const ROLES: readonly RoleDef[] = [
  { role: 'core', windows: 'himds', linux: 'himdsd' },
  { role: 'extension', windows: 'ExtensionService', linux: 'extd' },
  { role: 'gc', windows: 'GCArcService', linux: 'gcad' },
  { role: 'proxy', windows: 'arcproxy', linux: 'arcproxyd' },
];

interface Seen {
  def: RoleDef;
  name: KnownService;
  fact: ServiceFact;
}

const STOPPED: readonly ServiceState[] = ['stopped', 'stop_pending', 'pause_pending', 'paused', 'not_found'];
const TRANSITIONAL: readonly ServiceState[] = ['start_pending', 'continue_pending', 'unknown'];

function stateText(s: ServiceState): string {
  switch (s) {
    case 'running': return 'running';
    case 'not_found': return 'not installed';
    case 'stopped': return 'stopped';
    case 'unknown': return 'in an unknown state';
    default: return `${s.replace('_', ' ')}`;
  }
}

export default defineRule({
  meta: {
    id: 'agent-services',
    title: 'The Connected Machine agent services are running',
    category: 'agent',
    severity: 'fail',
    description: [
      'The Connected Machine agent runs several services (Windows name / Linux name):',
      '',
      '- `himds` / `himdsd` (Hybrid Instance Metadata Service): the agent itself, heartbeats and the connection WAC uses.',
      '- `ExtensionService` / `extd`: installs, updates and removes extensions, including AdminCenter.',
      '- `GCArcService` / `gcad`: machine configuration (guest configuration) policies; WAC does not need it.',
      '- `arcproxy` / `arcproxyd`: the Azure Arc proxy, used by the Arc gateway. When the agent does not use a gateway,',
      '  a stopped arcproxy can be ignored.',
      '',
      '- **fail**: `himds` is not running or not installed (not installed means the agent is not installed);',
      '  the extension service is not running (AdminCenter cannot be installed or updated);',
      '  `arcproxy` is not running while `connection.type` is `gateway`.',
      '- **warn**: the guest configuration service is not running, or a service is starting or in an unknown state.',
      '- **pass**: `himds` and every other service seen is running (a stopped `arcproxy` without a gateway is only mentioned).',
      '- **skip**: the state of `himds` is unknown, unless the extension service is seen not running (an installer\'s',
      '  `Service \'... (ExtensionService)\' cannot be started`): that alone fails.',
      '',
      'States come from `azcmagent show` (Dependent Service Status), `sc query` or `Get-Service`.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/agent-overview',
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-vm-extensions',
      'https://learn.microsoft.com/azure/azure-arc/servers/arc-gateway',
    ],
    requires: [],
    anyOf: [['service.himds', 'service.himdsd']],
    // The extension service alone decides a failure (AdminCenter cannot be installed without it).
    decidesAlsoOn: ['service.extensionservice', 'service.extd'],
    optional: [
      'service.extensionservice', 'service.extd', 'service.gcarcservice', 'service.gcad', 'service.arcproxy', 'service.arcproxyd',
      'config.connectionType',
    ],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['startService'],
  },
  check(ctx) {
    const seen: Seen[] = [];
    const unseen: string[] = [];
    for (const def of ROLES) {
      const win = ctx.get(`service.${def.windows.toLowerCase()}`);
      const lin = ctx.get(`service.${def.linux.toLowerCase()}`);
      // Prefer the one that exists when a source reported both names.
      const useLinux = lin !== undefined && (win === undefined || (win.state === 'not_found' && lin.state !== 'not_found'));
      const fact = useLinux ? lin : win;
      if (fact) seen.push({ def, name: useLinux ? def.linux : def.windows, fact });
      else if (def.role !== 'core') unseen.push(def.windows);
    }
    const gateway = ctx.get('config.connectionType')?.trim().toLowerCase() === 'gateway';

    const failures: string[] = [];
    const warnings: string[] = [];
    const notes: string[] = [];
    const fixList: Fix[] = [];
    const start = (s: Seen): Fix => fixes.startService(s.name, s.fact.state !== 'stopped');

    for (const s of seen) {
      const { state } = s.fact;
      const label = `${s.name} is ${stateText(state)}`;
      if (state === 'running') {
        notes.push(`${s.name} is running`);
        continue;
      }
      const stopped = STOPPED.includes(state);
      switch (s.def.role) {
        case 'core':
          if (state === 'not_found') {
            failures.push(`${label}: the Connected Machine agent is not installed on this machine`);
            fixList.push(fixes.manual('Install the Connected Machine agent and connect the machine to Azure Arc (Azure portal > Azure Arc > Machines > Add/Create), then install Windows Admin Center.'));
          } else if (stopped) {
            failures.push(`${label}: without it the agent cannot heartbeat or carry Windows Admin Center connections`);
            fixList.push(start(s));
          } else {
            warnings.push(`${label}; the agent needs it running`);
            fixList.push(start(s));
          }
          break;
        case 'extension':
          if (stopped) {
            failures.push(`${label}: extensions, including AdminCenter, cannot be installed or updated`);
            if (state !== 'not_found') fixList.push(start(s));
          } else {
            warnings.push(`${label}; extensions are handled only while it runs`);
          }
          break;
        case 'gc':
          warnings.push(`${label} (machine configuration policies only; Windows Admin Center does not need it)`);
          if (state !== 'not_found' && !TRANSITIONAL.includes(state)) fixList.push(start(s));
          break;
        case 'proxy':
          if (gateway && stopped) {
            failures.push(`${label} while connection.type is gateway: every agent connection, WAC's included, goes through it`);
            if (state !== 'not_found') fixList.push(start(s));
          } else if (gateway) {
            warnings.push(`${label} while connection.type is gateway; the gateway needs it running`);
          } else {
            notes.push(`${label}, which can be ignored unless the agent uses an Arc gateway (connection.type gateway)`);
          }
          break;
      }
    }

    // Without himds only a failure is a verdict: "every service seen is running" says nothing of the agent itself.
    if (!seen.some((s) => s.def.role === 'core') && failures.length === 0) return skipMissing(['service.himds | service.himdsd']);
    const parts = [...failures, ...warnings, ...notes];
    const tail = unseen.length > 0 ? ` (not seen: ${unseen.join(', ')})` : '';
    const message = `${parts.join('; ')}${tail}.`;
    const fix = fixList.length === 0 ? undefined : fixList.length === 1 ? fixList[0] : fixes.combine(...fixList);
    let outcome: Outcome;
    if (failures.length > 0) outcome = fail(message, fix);
    else if (warnings.length > 0) outcome = warn(message, fix);
    else outcome = pass(message);
    return outcome;
  },
});

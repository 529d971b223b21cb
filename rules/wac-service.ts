/**
 * wac-service: the WAC gateway service must run: `ServerManagementGateway` (legacy gateway, Sme.exe) or
 * `WindowsAdminCenter` (modernized gateway, AdminCenter extension 0.24.0.0 and later).
 * `WindowsAdminCenterAccountManagement` is demand-start (arc-wac-facts "Updates checked 2026-12"): stopped is its
 * normal state, so only a disabled one (which cannot start on demand) is a warning. The modern gateway depends on WinRM
 * (arc-wac-facts "Updates checked 2026-12": `WindowsAdminCenter` runs as NetworkService and depends on WinRM): a stopped
 * WinRM fails it.
 */
import type { ServiceFact } from '../core/model/facts';
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

type Gateway = 'ServerManagementGateway' | 'WindowsAdminCenter';
const LABEL: Record<Gateway, string> = {
  ServerManagementGateway: 'ServerManagementGateway (legacy gateway, Sme.exe)',
  WindowsAdminCenter: 'WindowsAdminCenter (modernized gateway)',
};
const STARTING = ['start_pending', 'continue_pending'];

const state = (s: ServiceFact): string => `${s.state.replace(/_/g, ' ')}${s.startType ? `, start type ${s.startType}` : ''}`;

export default defineRule({
  meta: {
    id: 'wac-service',
    title: 'The Windows Admin Center gateway service is running',
    category: 'gateway',
    severity: 'fail',
    description: [
      'The portal connects to the WAC gateway on the machine. The legacy gateway runs as `ServerManagementGateway`',
      '("Windows Admin Center", process `Sme.exe`); the modernized gateway of AdminCenter extension 0.24.0.0 and later runs',
      'as `WindowsAdminCenter`, with `WindowsAdminCenterAccountManagement` beside it. That one is demand-start: it starts',
      'when needed, so a stopped `WindowsAdminCenterAccountManagement` is not a fault by itself.',
      '',
      '- **pass**: either gateway service is running (named in the message; a stopped account-management service is mentioned).',
      '- **warn**: the gateway is starting; or `WindowsAdminCenter` runs but `WindowsAdminCenterAccountManagement` is disabled',
      '  (it cannot start on demand).',
      '- **fail**: a gateway service is installed but not running (fix: start it; a disabled service is set to automatic',
      '  first); or neither is installed ("no WAC gateway service installed"; fix: reinstall the AdminCenter extension).',
      '- **fail** also when logs or Event Log text report that the gateway cannot start and no gateway service is seen',
      '  running: a revoked signing certificate on a shipped file (SMEGateway), a Service Control Manager start failure or',
      '  crash of the gateway service (events 7000, 7009, 7022, 7023, 7031, 7034), Kestrel failing to bind its port, or the',
      '  installer failing to reserve the port.',
      '- **fail** also when the modernized gateway is installed and `WinRM`, which it depends on, is not running (fix: start',
      '  WinRM, set to automatic first when disabled).',
      '- **skip**: the only gateway service queried is not installed and the other one\'s state is unknown, or the source',
      '  gives no state (and no start failure is logged).',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/support/troubleshooting',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/extension-release-notes',
    ],
    requires: [],
    anyOf: [['service.servermanagementgateway', 'service.windowsadmincenter', 'log.signatures']],
    optional: ['service.windowsadmincenteraccountmanagement', 'service.winrm', 'machine.resourceId', 'wac.port'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['reinstallExtension', 'enableService', 'startService', 'demandStartService'],
  },
  check(ctx) {
    const startFailures = (ctx.get('log.signatures') ?? []).filter((h) => h.id === 'wac-gateway-start-failure');
    const services: Array<{ name: Gateway; svc: ServiceFact }> = [];
    const modern = ctx.get('service.windowsadmincenter');
    const legacy = ctx.get('service.servermanagementgateway');
    if (modern) services.push({ name: 'WindowsAdminCenter', svc: modern });
    if (legacy) services.push({ name: 'ServerManagementGateway', svc: legacy });
    const installed = services.filter((s) => s.svc.state !== 'not_found');

    const running = installed.find((s) => s.svc.state === 'running');
    if (startFailures.length > 0 && !running) {
      const first = startFailures[0]!;
      const what = startFailures.map((h) => h.subject).filter((x, i, a) => x && a.indexOf(x) === i).join(', ');
      const revoked = startFailures.some((h) => /revoked/i.test(h.text));
      const port = startFailures.map((h) => /^port (\d+)$/.exec(h.subject ?? '')?.[1]).find(Boolean);
      const why = revoked
        ? ' A shipped file\'s signing certificate is reported revoked: the installed build is outdated; install a current one (for the portal: remove and re-add the AdminCenter extension) and check that the machine reaches the certificate revocation lists.'
        : port ? ` Port ${port} is taken or reserved by something else: free it or install WAC on another port.` : '';
      const states = installed.length ? ` Services: ${installed.map((s) => `${s.name} is ${state(s.svc)}`).join('; ')}.` : '';
      return fail(
        `The WAC gateway service cannot start: the logs report ${what || 'a start failure'} ("${first.text.trim().slice(0, 200)}")${startFailures.length > 1 ? ` and ${startFailures.length - 1} more such entr${startFailures.length === 2 ? 'y' : 'ies'}` : ''}.${why}${states}`,
        fixes.reinstallExtension(ctx.get('machine.resourceId'), ctx.get('wac.port')?.port),
      );
    }
    if (services.length === 0) {
      return skip('No WAC gateway service state was provided (sc query WindowsAdminCenter, Get-Service), and the logs report no gateway start failure.');
    }
    // The modern gateway depends on WinRM: WinRM down is the cause whatever the gateway's own state.
    const winrm = modern && modern.state !== 'not_found' ? ctx.get('service.winrm') : undefined;
    if (winrm && winrm.state !== 'running' && winrm.state !== 'unknown' && !STARTING.includes(winrm.state)) {
      const startWinrm = winrm.startType === 'disabled' || winrm.state === 'not_found' ? fixes.enableService('WinRM') : fixes.startService('WinRM');
      const fix = modern!.state === 'running' ? startWinrm : fixes.combine(startWinrm, fixes.startService('WindowsAdminCenter'));
      return fail(`WinRM is ${state(winrm)}, and ${LABEL.WindowsAdminCenter} depends on it (WindowsAdminCenter is ${state(modern!)}): start WinRM${modern!.state === 'running' ? '' : ', then the gateway'}.`, fix);
    }
    if (running) {
      const others = installed.filter((s) => s !== running).map((s) => ` ${s.name} is ${state(s.svc)}.`).join('');
      const account = running.name === 'WindowsAdminCenter' ? ctx.get('service.windowsadmincenteraccountmanagement') : undefined;
      if (account && account.startType === 'disabled' && account.state !== 'running' && account.state !== 'not_found') {
        return warn(
          `${LABEL.WindowsAdminCenter} is running, but WindowsAdminCenterAccountManagement is ${state(account)}: it is demand-start and cannot start when needed while disabled.${others}`,
          fixes.demandStartService('WindowsAdminCenterAccountManagement'),
        );
      }
      const demand = account && account.state === 'stopped' ? ' (demand-start: it starts when needed, so stopped is normal)' : '';
      const accountNote = account ? ` WindowsAdminCenterAccountManagement is ${state(account)}${demand}.` : '';
      return pass(`${LABEL[running.name]} is running.${accountNote}${others}`);
    }

    if (installed.length === 0) {
      const seen = services.map((s) => s.name).join(' and ');
      if (services.length === 1) {
        const other: Gateway = services[0]!.name === 'WindowsAdminCenter' ? 'ServerManagementGateway' : 'WindowsAdminCenter';
        return skip(`${seen} is not installed and the state of ${other} wasn't provided (sc query ${other}), so the gateway service could not be judged.`);
      }
      return fail(
        `No WAC gateway service installed: neither ServerManagementGateway nor WindowsAdminCenter exists on the machine.`,
        fixes.reinstallExtension(ctx.get('machine.resourceId'), ctx.get('wac.port')?.port),
      );
    }

    const target = installed[0]!; // WindowsAdminCenter first when both are installed
    const states = installed.map((s) => `${s.name} is ${state(s.svc)}`).join('; ');
    if (installed.every((s) => s.svc.state === 'unknown')) {
      return skip(`The source reports ${installed.map((s) => s.name).join(' and ')} without a state, so the gateway service could not be judged.`);
    }
    if (installed.some((s) => STARTING.includes(s.svc.state))) {
      return warn(`The WAC gateway is starting: ${states}. Check again in a minute.`, fixes.startService(target.name));
    }
    const fix = target.svc.startType === 'disabled' ? fixes.enableService(target.name) : fixes.startService(target.name);
    return fail(`The WAC gateway service is not running: ${states}.`, fix);
  },
});

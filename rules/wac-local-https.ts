/**
 * wac-local-https: on the machine, `https://localhost:<port>` must answer; it is the gateway the portal's
 * reverse-proxy session ends at.
 */
import { defineRule, fail, pass, skip } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

const REFUSED = /ECONNREFUSED|connection refused|actively refused/i;

export default defineRule({
  meta: {
    id: 'wac-local-https',
    title: 'The WAC gateway answers on https://localhost:<port>',
    category: 'gateway',
    severity: 'fail',
    description: [
      'The WAC doc\'s first check on the machine is to open `https://localhost:<port>`. If it doesn\'t load, end `Sme.exe`',
      '(the gateway process) and retry; if it still doesn\'t load, uninstall and reinstall the AdminCenter extension.',
      'This needs a live check on the machine.',
      '',
      '- **fail**: the connection is refused (nothing listens on the port); the TLS handshake fails; the gateway answers',
      '  HTTP 5xx; or the request fails with another error. Fix: restart the gateway process and service, then reinstall.',
      '- **pass**: the TLS handshake succeeds and the gateway answers below HTTP 500.',
      '- **skip**: the probe records no result.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/support/troubleshooting',
    ],
    requires: ['wac.localHttps'],
    optional: ['service.windowsadmincenter', 'machine.resourceId'],
    appliesTo: ['live'],
    fixes: ['restartWacGateway', 'reinstallExtension'],
  },
  check(ctx) {
    const probe = ctx.get('wac.localHttps')!;
    const url = `https://localhost:${probe.port}`;
    const modern = ctx.get('service.windowsadmincenter');
    const gateway = modern && modern.state !== 'not_found' ? 'WindowsAdminCenter' : 'ServerManagementGateway';
    const fix = fixes.combine(fixes.restartWacGateway(gateway), fixes.reinstallExtension(ctx.get('machine.resourceId'), probe.port));
    const error = probe.error?.trim();

    if (error && REFUSED.test(error)) {
      return fail(`Nothing listens on ${url}: the connection was refused (${error}). The WAC gateway (${gateway}) is not running or listens on another port.`, fix);
    }
    if (probe.tls && !probe.tls.ok) {
      return fail(`The TLS handshake with ${url} failed${probe.tls.error ? `: ${probe.tls.error.trim()}` : ''}. The gateway's certificate or binding is broken.`, fix);
    }
    if (probe.httpStatus !== undefined && probe.httpStatus >= 500) {
      return fail(`${url} answered HTTP ${probe.httpStatus}: the WAC gateway (${gateway}) is running but failing.`, fix);
    }
    if (error) {
      return fail(`The request to ${url} failed: ${error}.`, fix);
    }
    if (probe.tls?.ok || probe.httpStatus !== undefined) {
      const tls = probe.tls?.ok ? `TLS ok${probe.tls.protocol ? ` (${probe.tls.protocol})` : ''}${probe.tls.subject ? `, certificate "${probe.tls.subject}"` : ''}` : '';
      const http = probe.httpStatus !== undefined ? `HTTP ${probe.httpStatus}` : 'no HTTP status recorded';
      return pass(`${url} answers: ${[tls, http].filter(Boolean).join(', ')}.`);
    }
    return skip(`The probe of ${url} records no TLS, HTTP or error result.`);
  },
});

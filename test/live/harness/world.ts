/**
 * A loopback stand-in for the internet a live check talks to: a test root CA, one HTTPS server answering every
 * Azure name a check probes (SNI and Host routed, with the documented bodies and a relay allowlist), a DNS server
 * answering those names with public addresses, and the CheckOptions that point a check at them. Nothing leaves
 * 127.0.0.1: every connection goes through --connect-to, every query to --dns-server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemInfo } from '../../../core/sources/live/collectors/system';
import { RecordedRunner } from '../../../core/sources/live/command-runner';
import type { CheckOptions } from '../../../core/sources/live/options';
import { RULES } from '../../../rules';
import { TestPki, type Authority } from './certs';
import { TestDnsServer, type ZoneEntry } from './dns-server';
import { closedPort, TestHttpsServer, type Site } from './servers';

export const WAC_HOME = "You've found the Windows Admin Center in Azure APIs' home page. Please use the Azure portal to manage your virtual machines with Windows Admin Center.";
export const WAC_CERT_SERVICE = 'Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal';
export const RELAYS = ['azgnrelay-westeurope-l1.servicebus.windows.net', 'azgnrelay-westeurope-l2.servicebus.windows.net'];
export const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'live');
export const FIXTURE_NOW = new Date('2026-11-26T12:00:00Z');

const NAMES = [
  'wac.azure.com', '*.wac.azure.com', '*.service.waconazure.com', 'pas.windows.net', 'guestnotificationservice.azure.com',
  '*.servicebus.windows.net', 'login.microsoftonline.com', 'management.azure.com', '*.his.arc.azure.com', '*.guestconfiguration.azure.com', 'localhost',
];

/** Every host a default check probes, for the westeurope and eastus regions. */
export const HOSTS = [
  'wac.azure.com', 'westeurope.service.waconazure.com', 'eastus.service.waconazure.com', 'pas.windows.net', 'guestnotificationservice.azure.com',
  ...RELAYS, 'login.microsoftonline.com', 'management.azure.com', 'gbl.his.arc.azure.com', 'agentserviceapi.guestconfiguration.azure.com',
  'westeurope-gas.guestconfiguration.azure.com', 'eastus-gas.guestconfiguration.azure.com',
];

export class LoopbackWorld {
  pki!: TestPki;
  root!: Authority;
  https!: TestHttpsServer;
  dns!: TestDnsServer;
  /** A loopback port where nothing listens (stands for HIMDS on a machine without the agent). */
  closed = 0;

  /** `zone` overrides the DNS answers of some names. */
  async start(zone: Record<string, ZoneEntry> = {}): Promise<this> {
    this.pki = await TestPki.create();
    this.root = await this.pki.authority('WAC Doctor Test Root CA');
    const leaf = await this.root.issue('azure.test', NAMES);
    const respond = (body: string): Site['respond'] => () => ({ status: 200, body });
    const sites: Record<string, Site> = {
      'wac.azure.com': { leaf, respond: respond(WAC_HOME) },
      'westeurope.service.waconazure.com': { leaf, respond: respond(WAC_CERT_SERVICE) },
      'eastus.service.waconazure.com': { leaf, respond: respond(WAC_CERT_SERVICE) },
      ...Object.fromEntries(RELAYS.map((r): [string, Site] => [r, { leaf, websocket: 'accept' }])),
      'guestnotificationservice.azure.com': { leaf, respond: (path) => (path.startsWith('/urls/allowlist') ? { status: 200, body: JSON.stringify(RELAYS) } : { status: 404, body: '' }) },
    };
    this.https = await new TestHttpsServer(sites, leaf).start();
    let n = 10;
    const answers: Record<string, ZoneEntry> = Object.fromEntries(HOSTS.map((h) => [h, { kind: 'answer', addresses: [`20.${n++}.1.1`] }]));
    this.dns = await new TestDnsServer({ ...answers, ...zone }).start();
    this.closed = await closedPort();
    return this;
  }

  /** Options that send every probe to the loopback servers and trust the test root. */
  options(extra: Partial<CheckOptions> = {}): CheckOptions {
    return {
      rules: RULES,
      timeoutMs: 4000,
      dnsServers: [this.dns.address],
      connectTo: [`::127.0.0.1:${this.https.port}`],
      caCertificates: [this.root.pem],
      env: {},
      himdsUrl: `http://127.0.0.1:${this.closed}`,
      ...extra,
    };
  }

  async stop(): Promise<void> {
    await Promise.all([this.https?.stop(), this.dns?.stop()]);
    await this.pki?.dispose();
  }
}

/** CheckOptions for a recorded Windows machine in fixtures/live/<name>. */
export function recordedWindows(name: string): Partial<CheckOptions> & { runner: RecordedRunner } {
  const dir = join(FIXTURES, name);
  const system = JSON.parse(readFileSync(join(dir, 'system.json'), 'utf8')) as SystemInfo;
  return {
    platform: 'win32',
    runner: RecordedRunner.fromDir(dir),
    system: () => Promise.resolve(system),
    hostname: system.hostname!,
    paths: {
      extensionRoots: [join(dir, 'Packages', 'Plugins', 'Microsoft.AdminCenter.AdminCenter')],
      appsettings: [join(dir, 'Program Files', 'WindowsAdminCenter', 'Service', 'appsettings.json')],
      hostsFile: join(dir, 'hosts'),
    },
    now: () => FIXTURE_NOW,
  };
}

import { strict as assert } from 'node:assert';
import { scanLogText } from './index';
import { FactStore } from '../../engine/fact-store';
import type { EndpointProbe, Observation } from '../../model/facts';

const lr = (time: string, level: string, msg: string, fields = ''): string => `time="${time}" level=${level} msg="${msg}"${fields ? ` ${fields}` : ''}`;
const scan = (lines: string[], role: 'agent-log' | 'text' = 'agent-log'): { obs: Observation[]; notes: string[]; store: FactStore } => {
  const r = scanLogText('azcmagent.log', `${lines.join('\n')}\n`, 'bundle', role);
  const store = new FactStore();
  store.add(...r.observations);
  return { obs: r.observations, notes: r.notes, store };
};
const names = (obs: Observation[]): string[] => [...new Set(obs.map((o) => o.name))].sort();

describe('log interpretation', () => {
  it('a failure and no later success: the probe fails with every failing layer, evidence of first and last', () => {
    const { store, notes } = scan([
      lr('2025-06-03T14:00:00Z', 'error', 'Token request failed', 'Error="dial tcp: lookup pas.windows.net on 10.0.0.2:53: no such host"'),
      lr('2025-06-03T14:05:00Z', 'error', 'Token request failed', 'Error="dial tcp 20.190.151.68:443: i/o timeout" Endpoint="https://pas.windows.net"'),
    ]);
    const pas = store.resolve('probe.pas.windows.net')!;
    const v = pas.value;
    assert.deepEqual(v.dns, { status: 'nxdomain', addresses: [] });
    assert.deepEqual(v.tcp, { ok: false, error: 'dial tcp 20.190.151.68:443: i/o timeout' });
    assert.equal(v.reachable, false);
    assert.deepEqual(pas.evidence.map((e) => e.line), [1, 2]);
    assert.deepEqual(notes, ['pas.windows.net: 2 failures from 2025-06-03T14:00:00.000Z to 2025-06-03T14:05:00.000Z.']);
  });

  it('failure then success: the resolved fact is the success, the failure is kept as superseded', () => {
    const { store, notes } = scan([
      lr('2025-06-03T14:00:00Z', 'error', 'Token request failed', 'Error="x509: certificate signed by unknown authority" Endpoint="https://login.microsoftonline.com"'),
      lr('2025-06-03T14:10:00Z', 'info', 'Token request succeeded', 'Endpoint="https://login.microsoftonline.com" Status Code=200'),
    ]);
    const r = store.resolve('probe.login.microsoftonline.com')!;
    const v = r.value;
    assert.deepEqual([v.reachable, v.error, v.tls, v.http], [true, '', { ok: true }, { status: 200 }]);
    assert.equal(r.superseded.length, 1);
    assert.equal(r.superseded[0]!.time, '2025-06-03T14:00:00.000Z');
    assert.ok(notes[0]!.endsWith('treated as resolved.'));
  });

  it('success then failure: the failure stands, and the note says it worked before', () => {
    const { store, notes } = scan([
      lr('2025-06-03T14:00:00Z', 'info', 'Connectivity test passed', 'Endpoint="https://gbl.his.arc.azure.com"'),
      lr('2025-06-03T14:10:00Z', 'error', 'Heartbeat failed', 'Error="Get \\"https://gbl.his.arc.azure.com/heartbeat\\": proxyconnect tcp: dial tcp 10.20.30.40:3128: connect: connection refused"'),
    ]);
    const v = store.get('probe.gbl.his.arc.azure.com') as EndpointProbe;
    assert.equal(v.reachable, false);
    assert.equal(v.proxy, 'set');
    assert.equal(v.tcp, undefined, 'the refused connection was the proxy\'s, not the endpoint\'s');
    assert.match(notes[0]!, /^gbl\.his\.arc\.azure\.com: reachable at 2025-06-03T14:00:00\.000Z, then failed at 2025-06-03T14:10:00\.000Z/);
  });

  it('debug-level errors, IMDS failures and info-level errors are not failures', () => {
    const { obs } = scan([
      lr('2025-06-03T14:00:00Z', 'debug', 'Retrying', 'Error="dial tcp 20.1.2.3:443: i/o timeout" Endpoint="https://management.azure.com"'),
      lr('2025-06-03T14:00:01Z', 'warning', 'IMDS probe failed', 'Error="Get \\"http://169.254.169.254/metadata/instance\\": dial tcp 169.254.169.254:80: i/o timeout"'),
      lr('2025-06-03T14:00:02Z', 'info', 'Will retry after error', 'Error="no such host" Endpoint="https://management.azure.com"'),
    ]);
    assert.deepEqual(obs, []);
  });

  it('AZCM codes per operation: a later AZCM0000 for the same command resolves; others stay', () => {
    const { store } = scan([
      lr('2025-06-03T14:00:00Z', 'info', 'Running command', 'Command="azcmagent connect"'),
      lr('2025-06-03T14:00:01Z', 'info', 'Exit Code: AZCM0026: Network Error'),
      lr('2025-06-03T14:01:00Z', 'info', 'Running command', 'Command="azcmagent disconnect"'),
      lr('2025-06-03T14:01:01Z', 'error', 'Exit Code: AZCM0043: Failed to Delete Resource'),
      lr('2025-06-03T14:02:00Z', 'info', 'Running command', 'Command="azcmagent connect"'),
      lr('2025-06-03T14:02:01Z', 'info', 'Exit Code: AZCM0000: Success'),
      lr('2025-06-03T14:03:00Z', 'debug', 'AZCM0041 seen in a debug line is ignored'),
    ]);
    assert.deepEqual(store.get('agent.errorCodes'), [{ code: 'AZCM0043', details: 'Failed to Delete Resource' }]);
    const err = store.resolve('agent.error')!;
    assert.deepEqual(err.value, { code: 'AZCM0000' });
    assert.deepEqual(err.superseded.map((o) => o.value), [{ code: 'AZCM0026', details: 'Network Error' }]);
  });

  it('the agent version comes from agent logs (newest wins) or an explicit "Agent Version" anywhere', () => {
    const { store } = scan([
      lr('2025-06-03T14:00:00Z', 'info', 'Starting HIMDS service', 'Version=1.36.02538.1064 OS="Windows Server 2019 Standard" "OS Version"=10.0.17763'),
      lr('2025-06-04T14:00:00Z', 'info', 'Starting HIMDS service', 'Version=1.45.02669.1635'),
    ]);
    assert.equal(store.get('agent.version'), '1.45.02669.1635');
    assert.equal(store.resolve('agent.version')!.superseded[0]!.value, '1.36.02538.1064');
    assert.deepEqual(store.get('os'), { platform: 'windows', name: 'Windows Server 2019 Standard' });
    // Other logs mention other versions (extensions, GC): only an explicit agent version counts there.
    assert.deepEqual(names(scan([lr('2025-06-03T14:00:00Z', 'info', 'Installing extension version 1.45.02669.1635')], 'text').obs), []);
    assert.equal(scan(['Agent Version                           : 1.36.02538.1064'], 'text').store.get('agent.version'), '1.36.02538.1064');
  });

  it('a messy ticket: PowerShell errors, states and signatures match only what the text says', () => {
    const { store, obs } = scan([
      'PS C:\\> azcmagent show',
      'Agent Status                            : Disconnected',
      '  Agent Service (himds)                 : stopped',
      "Invoke-RestMethod : The remote name could not be resolved: 'wac.azure.com'",
      'Code: NoRegisteredProviderFound Message: No registered resource provider found for location westeurope and API version 2023-03-15 for type endpoints of Microsoft.HybridConnectivity',
      'The 403 in the request id 9f403e is not an error',
    ], 'text');
    assert.equal(store.get('agent.status'), 'Disconnected');
    assert.deepEqual(store.get('service.himds'), { name: 'himds', state: 'stopped' });
    assert.deepEqual((store.get('probe.wac.azure.com') as EndpointProbe).dns, { status: 'nxdomain', addresses: [] });
    const hits = store.get('log.signatures')!;
    assert.deepEqual(hits.map((h) => [h.id, h.subject]).sort(), [['no-registered-provider', 'Microsoft.HybridConnectivity'], ['dns', undefined]].sort());
    assert.equal(obs.some((o) => JSON.stringify(o.value).includes('http-forbidden')), false);
  });

  it('a logrus record wrapped by the terminal continues on the indented line', () => {
    const { store } = scan([
      'time="2026-10-02T11:00:09Z" level=error msg="Regional Service Discovery" Error="Get \\"https://gbl.his.arc.azure.com/x\\": proxyconnect tcp: dial tcp 10.1.2.3:8080: connectex: No connection could be made because the target',
      ' machine actively refused it." Request URL="https://gbl.his.arc.azure.com/x"',
      'ENDPOINT |REACHABLE',
    ], 'text');
    const gbl = store.get('probe.gbl.his.arc.azure.com') as EndpointProbe;
    assert.deepEqual([gbl.layer, gbl.proxyAddress], ['proxy-connect', '10.1.2.3:8080']);
  });

  it('"Connectivity test passed" resolves the earlier failures of every endpoint', () => {
    const { store, notes } = scan([
      lr('2026-11-03T09:00:01Z', 'error', 'Failed to reach endpoint', 'Endpoint="https://westus2-gas.guestconfiguration.azure.com" Error="dial tcp 20.9.9.9:443: i/o timeout"'),
      lr('2026-11-03T09:20:00Z', 'info', 'Connectivity test passed'),
    ]);
    assert.equal((store.get('probe.westus2-gas.guestconfiguration.azure.com') as EndpointProbe).reachable, true);
    assert.ok(notes.some((n) => /treated as resolved/.test(n)));
  });

  it('wrapper exit codes become AZCM codes; exit code 0 is success; a 4-digit msiexec code is not an AZCM code', () => {
    const codes = (line: string) => scan([line], 'text').store.get('agent.errorCodes')?.map((e) => e.code);
    assert.deepEqual(codes("Bootstrap reported error: 'AZCMAgent command failed with error:  >> exitcode: 42.'"), ['AZCM0042']);
    assert.deepEqual(codes('azcmagent connect failed with exit code 41'), ['AZCM0041']);
    assert.deepEqual(codes('azcmagent connect finished. Exit code: 0'), []);
    assert.equal(codes('Installation of azcmagent returned exit code 1603'), undefined);
    // Other wrappers' wordings, the agent named on the line.
    assert.deepEqual(codes('azcmagent.exe connect returned 42'), ['AZCM0042']);
    assert.deepEqual(codes('exec azcmagent connect: exit status 41'), ['AZCM0041']);
    assert.deepEqual(codes('azcmagent connect failed, LASTEXITCODE: 42'), ['AZCM0042']);
    assert.equal(codes('The process exited with exit code 42.'), undefined, 'no agent named: another process');
  });

  it('a resource provider not registered, in the portal\'s and PowerShell\'s words, names its namespace', () => {
    const sigs = (line: string) => scan([line], 'text').store.get('log.signatures')?.filter((h) => h.id === 'missing-registration').map((h) => h.subject);
    assert.deepEqual(sigs("The resource provider 'Microsoft.HybridConnectivity' is not registered in subscription 1234."), ['Microsoft.HybridConnectivity']);
    assert.deepEqual(sigs("Resource provider Microsoft.HybridCompute isn't registered"), ['Microsoft.HybridCompute']);
    assert.equal(sigs("The resource provider 'Microsoft.HybridCompute' is registered."), undefined);
  });

  it('stated facts: memory from install scripts, the AdminCenter failure, Azure Local states, a GPO version and state', () => {
    const { store } = scan([
      'VERBOSE: Total Physical Memory:     16,383 MB',
      'the extension retries three times before reporting `WACInstallFailed` for Microsoft.AdminCenter.AdminCenter 0.85.0.0',
      'VERBOSE: AgentConnectedStatus: Disconnected, HimdsServiceStatus: Stopped',
      '[2026-10-17][08:13:22] INFO local version is 1.35.02478.1194',
      '[2026-10-17][08:13:23] INFO New Agent version found 1.67.03504.3207',
    ], 'text');
    assert.equal(store.get('memory.totalBytes'), 16383 * 1024 ** 2);
    assert.deepEqual(store.get('extension.adminCenter'), { installed: true, version: '0.85.0.0', provisioningState: 'Failed', statusLevel: 'Error', statusMessage: 'the extension retries three times before reporting `WACInstallFailed` for Microsoft.AdminCenter.AdminCenter 0.85.0.0' });
    assert.equal(store.get('agent.status'), 'Disconnected');
    assert.deepEqual(store.get('service.himds'), { name: 'himds', state: 'stopped' });
    assert.equal(store.get('agent.version'), '1.35.02478.1194');
  });

  it('gateway start failures from Event Log text', () => {
    const hits = scan(['Message          : The Windows Admin Center service terminated unexpectedly.  It has done this 3 time(s).'], 'text').store.get('log.signatures')!;
    assert.deepEqual(hits.map((h) => h.id), ['wac-gateway-start-failure']);
  });
});

import { strict as assert } from 'node:assert';
import { fixes } from '../core/catalog/fixes';
import rule from './extension-status';
import { fact, runRuleOn } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';
const machine = fact('machine.resourceId', RID);
const port = fact('wac.port', { port: 443, source: 'extension' });
const CREATE = `az connectedmachine extension create --name AdminCenter --publisher Microsoft.AdminCenter --type AdminCenter --machine-name 'srv01' --resource-group 'rg-arc' --subscription '00000000-0000-0000-0000-000000000000' --location '<region>' --settings 'port=443'`;
const WS2022 = fact('os', { platform: 'windows', name: 'Microsoft Windows Server 2022 Datacenter', build: 20348 });
const WS2025 = fact('os', { platform: 'windows', name: 'Microsoft Windows Server 2025 Datacenter', build: 26100 });
const DELETE = 'az connectedmachine extension delete --name AdminCenter --machine-name \'srv01\' --resource-group \'rg-arc\' --subscription \'00000000-0000-0000-0000-000000000000\' --yes';
/** The HybridConnectivity PUTs every command-line install or reinstall ends with (exact text: rules/service-configuration.test.ts). */
const PUTS = fixes.setWacServiceConfiguration(RID, 443).commands.map((c) => c.command);

describe('rule extension-status', () => {
  it('passes on Succeeded with a supported version, naming it', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.85.0.0', provisioningState: 'Succeeded', statusLevel: 'Information' }), WS2022);
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'AdminCenter extension 0.85.0.0 is installed, provisioningState Succeeded (version at least 0.70.0.0).');
  });

  it('fails when the extension is not installed, with an install fix', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: false }), machine, port);
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'AdminCenter extension is not installed: the extension list has no Microsoft.AdminCenter/AdminCenter, so Windows Admin Center has nothing to connect to.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [CREATE, ...PUTS]);
  });

  it('fails on Failed, quoting the status message cut to 300 characters', () => {
    const long = `Enable failed: ${'x'.repeat(400)}`;
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.80.0.0', provisioningState: 'Failed', statusCode: '1', statusMessage: long }), machine, port);
    assert.equal(f.status, 'fail');
    assert.ok(f.message.startsWith('AdminCenter extension 0.80.0.0 provisioning Failed (status code 1): "Enable failed: xxx'));
    assert.ok(f.message.endsWith('x...".'));
    assert.ok(f.message.length < 400);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [DELETE, CREATE, ...PUTS]);
  });

  it('warns while Creating or Updating', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, provisioningState: 'Creating' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'AdminCenter extension has provisioningState Creating; an install or update is in progress. Wait for it to finish; if it stays Creating, check the extension service and the gc_ext.log extension log.');
    assert.equal(runRuleOn(rule, fact('extension.adminCenter', { installed: true, provisioningState: 'Updating' })).status, 'warn');
  });

  it('warns on Deleting with the documented stuck-extension cleanup', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.0.0.340', provisioningState: 'Deleting' }), machine, port);
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^AdminCenter extension 0\.0\.0\.340 is Deleting; .*HandlerManifest\.json/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      DELETE,
      'Remove-Item -Recurse -Force "$env:SystemDrive\\Packages\\Plugins\\Microsoft.AdminCenter.AdminCenter"',
      CREATE,
    ]);
  });

  it('warns below 0.70.0.0 on Windows Server before 2025, comparing per component', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.66.0.0', provisioningState: 'Succeeded' }), machine, port, WS2022);
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'AdminCenter extension 0.66.0.0 is older than 0.70.0.0 on Windows Server before 2025: 0.70.0.0 (January 2026) fixed connections failing on Windows Server before 2025, so failed connections may be that bug. Update it to the current version.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [DELETE, CREATE, ...PUTS]);
    const old = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.31.0.0', provisioningState: 'Succeeded' }), WS2022);
    assert.match(old.message, /; also, versions 0\.62\.0\.0 and earlier may not install on Arc machines/);
    assert.equal(runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.70.0.0', provisioningState: 'Succeeded' }), WS2022).status, 'pass');
    assert.equal(runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.9.0.0', provisioningState: 'Succeeded' }), WS2022).status, 'warn');
  });

  it('passes below 0.70.0.0 on Windows Server 2025, but warns at 0.62.0.0 and earlier (may not install)', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.66.0.0', provisioningState: 'Succeeded' }), WS2025);
    assert.equal(f.status, 'pass');
    assert.match(f.message, /older than 0\.70\.0\.0, but that release's connection fix concerns Windows Server before 2025/);
    const w = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.62.0.0', provisioningState: 'Succeeded' }), WS2025);
    assert.equal(w.status, 'warn');
    assert.equal(w.message, 'AdminCenter extension 0.62.0.0: versions 0.62.0.0 and earlier may not install on Arc machines (extension notes 0.66.0.0, September 2025), so a reinstall or update can fail; update it to the current version.');
  });

  it('warns below 0.70.0.0 when the OS is unknown', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.68.0.0', provisioningState: 'Succeeded' }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /the OS version was not seen, so whether this machine is affected is unknown\.$/);
  });

  it('calls out the install floor when an old version failed to provision', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.31.0.0', provisioningState: 'Failed' }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /Versions 0\.62\.0\.0 and earlier may not install on Arc machines; install the current version\.$/);
  });

  it('warns on Succeeded with status level Error', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.80.0.0', provisioningState: 'Succeeded', statusLevel: 'Error', statusMessage: 'Gateway failed to start' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'AdminCenter extension 0.80.0.0 is installed, provisioningState Succeeded, but its status level is Error: "Gateway failed to start".');
    assert.equal(f.fix!.commands.length, 6);
  });

  it('passes without a version, saying the minimum was not checked', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, provisioningState: 'Succeeded' }));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /version was not shown/);
  });

  it('skips without the extension state', () => {
    const f = runRuleOn(rule, machine);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['extension.adminCenter']);
    assert.match(f.message, /az connectedmachine extension list/);
  });

  it('explains the known AdminCenter failure texts', () => {
    const failed = (statusMessage: string) => runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.85.0.0', provisioningState: 'Failed', statusMessage }), WS2022);
    const reg = failed('WACInstallFailed: Error creating registry key HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Update\\TargetingInfo\\PersistentDynamicInstalled\\WindowsAdminCenter.amd64 RegCreateKeyEx failed; code 5. Access is denied.');
    assert.equal(reg.status, 'fail');
    assert.match(reg.message, /RegCreateKeyEx code 5 is "access denied" .* product defect of extension 0\.85\.0\.0 on Windows Server 2019 .* not a network or permission problem/);
    assert.match(failed('RetrieveCertificate: Failed to retrieve certificate from key vault using app service').message, /must reach \*\.waconazure\.com/);
    assert.match(failed('WAC_Service_Not_Reachable').message, /could not reach its gateway service on the WAC port/);
    assert.match(failed('WACInstallFailed').message, /WACInstallFailed: the Windows Admin Center installer the extension runs failed/);
    assert.doesNotMatch(failed('Enable failed: timeout').message, /installer|waconazure|gateway service/);
    const level = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.85.0.0', provisioningState: 'Succeeded', statusLevel: 'Error', statusMessage: 'WAC_Service_Not_Reachable' }));
    assert.equal(level.status, 'warn');
    assert.match(level.message, /see wac-service and wac-local-https/);
  });
});

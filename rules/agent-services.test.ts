import { strict as assert } from 'node:assert';
import rule from './agent-services';
import { fact, runRuleOn } from '../test/support/testing';
import type { ServiceState } from '../core/model/facts';

const svc = (name: string, state: ServiceState) => fact(`service.${name.toLowerCase()}`, { name, state });

describe('rule agent-services', () => {
  it('passes when all services run; a stopped arcproxy without a gateway is only mentioned', () => {
    const f = runRuleOn(rule, svc('himds', 'running'), svc('ExtensionService', 'running'), svc('GCArcService', 'running'), svc('arcproxy', 'stopped'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'himds is running; ExtensionService is running; GCArcService is running; arcproxy is stopped, which can be ignored unless the agent uses an Arc gateway (connection.type gateway).');
    assert.equal(f.fix, undefined);
  });

  it('passes with only himds, naming the services not seen', () => {
    const f = runRuleOn(rule, svc('himds', 'running'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'himds is running (not seen: ExtensionService, GCArcService, arcproxy).');
  });

  it('fails when himds is stopped, with a start fix', () => {
    const f = runRuleOn(rule, svc('himds', 'stopped'), svc('ExtensionService', 'running'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'himds is stopped: without it the agent cannot heartbeat or carry Windows Admin Center connections; ExtensionService is running (not seen: GCArcService, arcproxy).');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Start-Service -Name \'himds\'' }]);
  });

  it('fails when himds is not installed: the agent is missing', () => {
    const f = runRuleOn(rule, svc('himds', 'not_found'));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^himds is not installed: the Connected Machine agent is not installed on this machine/);
    assert.deepEqual(f.fix!.commands, []);
  });

  it('fails when the extension service is stopped (AdminCenter cannot install or update)', () => {
    const f = runRuleOn(rule, svc('himds', 'running'), svc('ExtensionService', 'stopped'), svc('GCArcService', 'stopped'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'ExtensionService is stopped: extensions, including AdminCenter, cannot be installed or updated; GCArcService is stopped (machine configuration policies only; Windows Admin Center does not need it); himds is running (not seen: arcproxy).');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ['Start-Service -Name \'ExtensionService\'', 'Start-Service -Name \'GCArcService\'']);
  });

  it('warns when only the guest configuration service is stopped', () => {
    const f = runRuleOn(rule, svc('himds', 'running'), svc('ExtensionService', 'running'), svc('GCArcService', 'stopped'));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^GCArcService is stopped \(machine configuration policies only/);
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Start-Service -Name \'GCArcService\'' }]);
  });

  it('fails when arcproxy is stopped and the agent uses a gateway', () => {
    const f = runRuleOn(rule, svc('himds', 'running'), svc('arcproxy', 'stopped'), fact('config.connectionType', 'gateway'));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^arcproxy is stopped while connection\.type is gateway/);
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Start-Service -Name \'arcproxy\'' }]);
  });

  it('uses the Linux service names and systemctl', () => {
    const f = runRuleOn(rule, svc('himdsd', 'stopped'), svc('extd', 'running'), svc('gcad', 'running'), svc('arcproxyd', 'running'));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^himdsd is stopped/);
    assert.deepEqual(f.fix!.commands, [{ shell: 'bash', command: 'sudo systemctl start \'himdsd\'' }]);
  });

  it('restarts rather than starts a paused service', () => {
    const f = runRuleOn(rule, svc('himds', 'paused'));
    assert.equal(f.status, 'fail');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Restart-Service -Name \'himds\'' }]);
  });

  it('fails on an extension service that is not running even when himds is unknown (an installer that could not start it)', () => {
    const f = runRuleOn(rule, svc('ExtensionService', 'stopped'));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^ExtensionService is stopped: extensions, including AdminCenter, cannot be installed or updated/);
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Start-Service -Name \'ExtensionService\'' }]);
  });

  it('skips without himds or himdsd, even when other services are known', () => {
    const f = runRuleOn(rule, svc('ExtensionService', 'running'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['service.himds | service.himdsd']);
  });
});

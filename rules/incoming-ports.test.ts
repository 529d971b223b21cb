import { strict as assert } from 'node:assert';
import rule from './incoming-ports';
import { fact, runRuleOn } from '../test/support/testing';

describe('rule incoming-ports', () => {
  const port = fact('wac.port', { port: 6516, source: 'extension' });

  it('passes when the WAC port is listed', () => {
    const f = runRuleOn(rule, port, fact('config.incomingConnectionsPorts', [22, 6516]));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /\[22,6516\].*6516/);
  });

  it('warns when the port is missing and keeps the other ports in the fix', () => {
    const f = runRuleOn(rule, port, fact('config.incomingConnectionsPorts', [22]));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'incomingconnections.ports is [22]; the WAC port 6516 is missing.');
    assert.deepEqual(f.fix?.commands, [{ shell: 'powershell', command: 'azcmagent config set incomingconnections.ports \'22,6516\'' }]);
    assert.equal(f.evidence[0]?.path, 'test-input.txt');
  });

  it('fails when incoming connections are disabled', () => {
    const f = runRuleOn(rule, port, fact('config.incomingConnectionsPorts', [6516]), fact('config.incomingConnectionsEnabled', false));
    assert.equal(f.status, 'fail');
    assert.match(f.fix!.commands[0]!.command, /incomingconnections\.enabled true/);
  });

  it('skips, naming the missing fact, without azcmagent config list', () => {
    const f = runRuleOn(rule, port);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['config.incomingConnectionsPorts']);
    assert.match(f.message, /azcmagent config list/);
  });
});

import { strict as assert } from 'node:assert';
import { scQueryParser, serviceStateFromCode, serviceStateFromText, startTypeFromText } from './sc-query';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, pastedInput, powerShellUtf16 } from '../../test/support/testing';


describe('sc query parser', () => {
  it('reads a running himds with the STATE line as evidence', () => {
    const text = fixtureText('sc-query-himds.txt');
    assert.equal(detectParser(text), scQueryParser);
    const r = scQueryParser.parse(text, pastedInput('sc.txt'));
    assert.deepEqual(r.warnings, []);
    assert.equal(r.observations.length, 1);
    assert.equal(r.observations[0]!.name, 'service.himds');
    assert.deepEqual(r.observations[0]!.value, { name: 'himds', state: 'running' });
    assert.deepEqual(r.observations[0]!.evidence, [{ source: 'pasted', path: 'sc.txt', line: 5, excerpt: 'STATE              : 4  RUNNING' }]);
  });

  it('reads a stopped gateway, also from UTF-16LE', () => {
    const text = fixtureText('sc-query-gateway-stopped.txt');
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('sc-query-gateway-stopped.txt').toString('utf8')), 'sc.txt');
    for (const t of [text, fromUtf16]) {
      assert.equal(detectParser(t), scQueryParser);
      const o = scQueryParser.parse(t, pastedInput('sc.txt')).observations[0]!;
      assert.equal(o.name, 'service.servermanagementgateway');
      assert.deepEqual(o.value, { name: 'ServerManagementGateway', state: 'stopped' });
      assert.equal(o.evidence[0]!.line, 5);
    }
  });

  it('reads FAILED 1060 as not_found for the echoed service name', () => {
    const text = fixtureText('sc-query-missing.txt');
    assert.equal(scQueryParser.detect(text), 90);
    assert.equal(detectParser(text), scQueryParser);
    const r = scQueryParser.parse(text, pastedInput('sc.txt'));
    assert.deepEqual(r.warnings, []);
    assert.equal(r.observations[0]!.name, 'service.windowsadmincenter');
    assert.deepEqual(r.observations[0]!.value, { name: 'WindowsAdminCenter', state: 'not_found' });
    assert.deepEqual(r.observations[0]!.evidence, [{ source: 'pasted', path: 'sc.txt', line: 2, excerpt: '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:' }]);
  });

  it('warns when FAILED 1060 comes without the command line', () => {
    const r = scQueryParser.parse('[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\n\nThe specified service does not exist as an installed service.\n', pastedInput('sc.txt'));
    assert.deepEqual(r.observations, []);
    assert.match(r.warnings![0]!, /does not say which service/);
  });

  it('reads several services, queryex fields, DISPLAY_NAME, pending states and sc qc START_TYPE', () => {
    const text = [
      'PS C:\\> sc.exe queryex "himds"',
      '',
      'SERVICE_NAME: himds',
      '        TYPE               : 10  WIN32_OWN_PROCESS',
      '        STATE              : 2  START_PENDING',
      '                                (NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)',
      '        PID                : 4312',
      '        FLAGS              :',
      'PS C:\\> sc.exe query state= all type= service',
      'SERVICE_NAME: GCArcService',
      'DISPLAY_NAME: Guest Configuration Arc Service',
      '        STATE              : 3  STOP_PENDING',
      'SERVICE_NAME: arcproxy',
      'DISPLAY_NAME: Azure Arc Proxy',
      '        STATE              : 7  PAUSED',
      'PS C:\\> sc.exe qc himds',
      '[SC] QueryServiceConfig SUCCESS',
      '',
      'SERVICE_NAME: himds',
      '        TYPE               : 10  WIN32_OWN_PROCESS',
      '        START_TYPE         : 2   AUTO_START',
      '        DISPLAY_NAME       : Azure Hybrid Instance Metadata Service',
      'PS C:\\> sc.exe query nope',
      '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:',
    ].join('\n');
    assert.equal(detectParser(text), scQueryParser);
    const r = scQueryParser.parse(text, pastedInput('sc.txt'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.observations.map((o) => [o.name, o.value, o.evidence[0]!.line]), [
      ['service.himds', { name: 'himds', state: 'start_pending', displayName: 'Azure Hybrid Instance Metadata Service', startType: 'automatic' }, 5],
      ['service.gcarcservice', { name: 'GCArcService', state: 'stop_pending', displayName: 'Guest Configuration Arc Service' }, 12],
      ['service.arcproxy', { name: 'arcproxy', state: 'paused', displayName: 'Azure Arc Proxy' }, 15],
      ['service.nope', { name: 'nope', state: 'not_found' }, 24],
    ]);
  });

  it('warns on an unknown state number and on other sc failures', () => {
    const r = scQueryParser.parse([
      'SERVICE_NAME: himds', '        STATE              : 9  WEIRD',
      'C:\\>sc query WindowsAdminCenter', '[SC] OpenService FAILED 5:', '', 'Access is denied.',
    ].join('\n'), pastedInput('sc.txt'));
    assert.deepEqual(r.observations[0]!.value, { name: 'himds', state: 'unknown' });
    assert.match(r.warnings![0]!, /unknown service state 9 WEIRD/);
    assert.match(r.warnings![1]!, /FAILED 5 for WindowsAdminCenter: Access is denied\./);
  });

  it('maps states and start types', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 0].map(serviceStateFromCode),
      ['stopped', 'start_pending', 'stop_pending', 'running', 'continue_pending', 'pause_pending', 'paused', 'unknown']);
    assert.equal(serviceStateFromText('ContinuePending'), 'continue_pending');
    assert.equal(serviceStateFromText('PAUSE_PENDING'), 'pause_pending');
    assert.equal(startTypeFromText('DEMAND_START'), 'manual');
    assert.equal(startTypeFromText('4'), 'disabled');
  });

  it('does not claim other outputs', () => {
    assert.equal(scQueryParser.detect(fixtureText('get-service.txt')), 0);
    assert.equal(scQueryParser.detect(fixtureText('reg-query-sme.txt')), 0);
  });

  it('throws ParseError for SERVICE_NAME blocks without STATE', () => {
    const bad = 'SERVICE_NAME: himds\n        TYPE               : 10  WIN32_OWN_PROCESS\n        STATE              : RUNNING\n';
    assert.equal(detectParser(bad), scQueryParser);
    assert.throws(() => scQueryParser.parse(bad, pastedInput('sc.txt')), (err: unknown) => err instanceof ParseError && /STATE : <n> <STATE>/.test(err.message));
  });
});

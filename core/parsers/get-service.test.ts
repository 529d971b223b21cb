import { strict as assert } from 'node:assert';
import { getServiceJsonParser, getServiceTableParser, parseListBlocks, parseTable } from './get-service';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';


describe('Get-Service table parser', () => {
  const text = fixtureText('get-service.txt');

  it('is detected', () => {
    assert.equal(getServiceTableParser.detect(text), 90);
    assert.equal(detectParser(text), getServiceTableParser);
  });

  it('reads every row, completing the name the table truncated', () => {
    const r = getServiceTableParser.parse(text, pastedInput('gs.txt'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(observationRows(r), [
      ['service.himds', { name: 'himds', state: 'running', displayName: 'Azure Hybrid Instance Metadata Service' }, 5],
      ['service.gcarcservice', { name: 'GCArcService', state: 'running', displayName: 'Guest Configuration Arc Service' }, 6],
      ['service.extensionservice', { name: 'ExtensionService', state: 'running', displayName: 'Guest Configuration Extension Service' }, 7],
      ['service.arcproxy', { name: 'arcproxy', state: 'stopped', displayName: 'Azure Arc Proxy' }, 8],
      ['service.windowsadmincenter', { name: 'WindowsAdminCenter', state: 'running', displayName: 'Windows Admin Center' }, 9],
      // Truncated display names are left out rather than stored cut.
      ['service.windowsadmincenteraccountmanagement', { name: 'WindowsAdminCenterAccountManagement', state: 'running' }, 10],
    ]);
    assert.deepEqual(r.observations[3]!.evidence, [{ source: 'pasted', path: 'gs.txt', line: 8, excerpt: 'Stopped  arcproxy           Azure Arc Proxy' }]);
  });

  it('reads the same from UTF-16LE', () => {
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('get-service.txt').toString('utf8')), 'gs.txt');
    assert.equal(detectParser(fromUtf16), getServiceTableParser);
    assert.deepEqual(getServiceTableParser.parse(fromUtf16, pastedInput('gs.txt')).observations, getServiceTableParser.parse(text, pastedInput('gs.txt')).observations);
  });

  it('skips, with a warning, a truncated name it cannot complete (PowerShell 7 ellipsis)', () => {
    const t = 'Status   Name               DisplayName\n------   ----               -----------\nRunning  SomeVeryLongServic… Some service\nRunning  himds              Azure Hybrid Instance Metadata Service\n';
    const r = getServiceTableParser.parse(t, pastedInput('gs.txt'));
    assert.deepEqual(r.observations.map((o) => o.name), ['service.himds']);
    assert.match(r.warnings![0]!, /line 3: service name "SomeVeryLongServic…" was truncated/);
  });

  it('falls back to whitespace splitting when copying collapsed the spacing', () => {
    const t = 'Status Name DisplayName\n------ ---- -----------\nRunning himds Azure Hybrid Instance Metadata Service\nStopped ServerManagementGateway Windows Admin Center\n';
    assert.deepEqual(observationRows(getServiceTableParser.parse(t, pastedInput('gs.txt'))), [
      ['service.himds', { name: 'himds', state: 'running', displayName: 'Azure Hybrid Instance Metadata Service' }, 3],
      ['service.servermanagementgateway', { name: 'ServerManagementGateway', state: 'stopped', displayName: 'Windows Admin Center' }, 4],
    ]);
  });

  it('reads a Select-Object table with StartType by column position', () => {
    const t = [
      'PS C:\\> Get-Service himds,ServerManagementGateway | Select-Object Name,Status,StartType', '',
      'Name                    Status StartType', '----                    ------ ---------',
      'himds                  Running Automatic', 'ServerManagementGateway Stopped    Manual', '',
    ].join('\n');
    assert.equal(detectParser(t), getServiceTableParser);
    assert.deepEqual(observationRows(getServiceTableParser.parse(t, pastedInput('gs.txt'))), [
      ['service.himds', { name: 'himds', state: 'running', startType: 'automatic' }, 5],
      ['service.servermanagementgateway', { name: 'ServerManagementGateway', state: 'stopped', startType: 'manual' }, 6],
    ]);
  });

  it('reads Format-List blocks', () => {
    const t = [
      'PS C:\\> Get-Service himds, arcproxy | Format-List Name, DisplayName, Status, StartType', '',
      'Name        : himds', 'DisplayName : Azure Hybrid Instance Metadata Service', 'Status      : Running', 'StartType   : Automatic', '',
      'Name        : arcproxy', 'DisplayName : Azure Arc Proxy', 'Status      : Stopped', 'StartType   : Disabled', '',
    ].join('\n');
    assert.equal(getServiceTableParser.detect(t), 85);
    assert.deepEqual(observationRows(getServiceTableParser.parse(t, pastedInput('fl.txt'))), [
      ['service.himds', { name: 'himds', state: 'running', displayName: 'Azure Hybrid Instance Metadata Service', startType: 'automatic' }, 5],
      ['service.arcproxy', { name: 'arcproxy', state: 'stopped', displayName: 'Azure Arc Proxy', startType: 'disabled' }, 10],
    ]);
  });

  it('reads "Cannot find any service" as not_found', () => {
    const t = [
      "Get-Service : Cannot find any service with service name 'ServerManagementGateway'.",
      'At line:1 char:1', '+ Get-Service ServerManagementGateway',
    ].join('\n');
    assert.equal(detectParser(t), getServiceTableParser);
    assert.deepEqual(observationRows(getServiceTableParser.parse(t, pastedInput('e.txt'))), [
      ['service.servermanagementgateway', { name: 'ServerManagementGateway', state: 'not_found' }, 1],
    ]);
  });

  it('does not claim azcmagent show or sc query output', () => {
    assert.equal(getServiceTableParser.detect(fixtureText('sc-query-himds.txt')), 0);
    assert.equal(getServiceTableParser.detect('Dependent Service Status\n  Agent Service (himds)                 : running\n'), 0);
  });

  it('throws ParseError for a header without usable rows', () => {
    const bad = 'Status   Name               DisplayName\n------   ----               -----------\n\n';
    assert.equal(detectParser(bad), getServiceTableParser);
    assert.throws(() => getServiceTableParser.parse(bad, pastedInput('b.txt')), (err: unknown) => err instanceof ParseError && /Get-Service table/.test(err.message));
  });
});

describe('Get-Service JSON parser', () => {
  const text = fixtureText('get-service.json');

  it('is detected', () => {
    assert.equal(getServiceJsonParser.detect(text), 85);
    assert.equal(detectParser(text), getServiceJsonParser);
  });

  it('maps PowerShell 5.1 int enums, with the Status line as evidence', () => {
    const r = getServiceJsonParser.parse(text, pastedInput('gs.json'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(observationRows(r), [
      ['service.himds', { name: 'himds', state: 'running', displayName: 'Azure Hybrid Instance Metadata Service', startType: 'automatic' }, 6],
      ['service.gcarcservice', { name: 'GCArcService', state: 'running', displayName: 'Guest Configuration Arc Service', startType: 'automatic' }, 12],
      ['service.extensionservice', { name: 'ExtensionService', state: 'running', displayName: 'Guest Configuration Extension Service', startType: 'automatic' }, 18],
      ['service.arcproxy', { name: 'arcproxy', state: 'stopped', displayName: 'Azure Arc Proxy', startType: 'disabled' }, 24],
      ['service.windowsadmincenter', { name: 'WindowsAdminCenter', state: 'stopped', displayName: 'Windows Admin Center', startType: 'automatic' }, 30],
    ]);
    assert.deepEqual(r.observations[0]!.evidence, [{ source: 'pasted', path: 'gs.json', line: 6, excerpt: '"Status":  4,' }]);
  });

  it('reads the same from UTF-16LE', () => {
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('get-service.json').toString('utf8')), 'gs.json');
    assert.deepEqual(getServiceJsonParser.parse(fromUtf16, pastedInput('gs.json')).observations, getServiceJsonParser.parse(text, pastedInput('gs.json')).observations);
  });

  it('reads a single PowerShell 7 object with string enums', () => {
    const t = '{\n  "Name": "ServerManagementGateway",\n  "DisplayName": "Windows Admin Center",\n  "Status": "StopPending",\n  "StartType": "Manual"\n}';
    assert.equal(detectParser(t), getServiceJsonParser);
    assert.deepEqual(observationRows(getServiceJsonParser.parse(t, pastedInput('gs.json'))), [
      ['service.servermanagementgateway', { name: 'ServerManagementGateway', state: 'stop_pending', displayName: 'Windows Admin Center', startType: 'manual' }, 4],
    ]);
  });

  it('does not claim azcmagent show -j (it lists services too)', () => {
    const show = '{\n "agentVersion": "1.45.02669.1635",\n "services": [{"displayName": "Agent Service", "serviceName": "himds", "status": "running"}]\n}';
    assert.equal(getServiceJsonParser.detect(show), 0);
    assert.equal(getServiceJsonParser.detect(fixtureText('az-extension-list.json')), 0);
  });

  it('throws ParseError when no object has Name and Status', () => {
    const bad = '[{"Name": "himds", "DisplayName": "Azure Hybrid Instance Metadata Service"}]';
    assert.throws(() => getServiceJsonParser.parse(bad, pastedInput('b.json')), (err: unknown) => err instanceof ParseError && /"Name" and "Status"/.test(err.message));
    assert.throws(() => getServiceJsonParser.parse('[{"Name": "himds", "Status": 4', pastedInput('b.json')), ParseError);
  });
});

describe('PowerShell text helpers', () => {
  it('parseListBlocks joins wrapped values and splits blocks', () => {
    const blocks = parseListBlocks(['A    : 1', 'Long : abc', '       def', '', 'A    : 2', 'WARNING: not an entry', 'B : 3']);
    assert.deepEqual(blocks.map((b) => b.entries.map((e) => [e.key, e.value, e.line])), [
      [['A', '1', 0], ['Long', 'abc\ndef', 1]],
      [['A', '2', 4]],
      [['B', '3', 6]],
    ]);
  });

  it('parseTable slices columns by the dash line', () => {
    const t = parseTable(['Namespace                     RegistrationState', '----------------------------  -------------------', 'Microsoft.HybridCompute       Registered'], 0);
    assert.deepEqual(t?.columns, ['Namespace', 'RegistrationState']);
    assert.deepEqual(t?.rows.map((r) => r.cells), [['Microsoft.HybridCompute', 'Registered']]);
  });
});

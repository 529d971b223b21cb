import { strict as assert } from 'node:assert';
import { regQueryParser } from './reg-query';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, pastedInput, powerShellUtf16 } from '../../test/support/testing';


const KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ServerManagementGateway';

describe('reg query parser', () => {
  describe('reg.exe output', () => {
    const text = fixtureText('reg-query-sme.txt');

    it('is detected', () => {
      assert.equal(regQueryParser.detect(text), 95);
      assert.equal(detectParser(text), regQueryParser);
    });

    it('converts REG_DWORD to decimal and reads SmePort, with the SmePort line as evidence', () => {
      const { observations, warnings } = regQueryParser.parse(text, pastedInput('reg.txt'));
      assert.deepEqual(warnings, []);
      assert.equal(observations.length, 1);
      const o = observations[0]!;
      assert.equal(o.name, 'registry.serverManagementGateway');
      assert.deepEqual(o.value, {
        present: true,
        values: { SmePort: '6516', UseHttps: '1', Version: '1.5.2306.14001', ClientCertificateThumbprint: '3F2A9C41D7B0E85C6A1F94D2B7E03C58A9D61F4E', DevMode: '0' },
        smePort: 6516,
      });
      assert.deepEqual(o.evidence, [{ source: 'pasted', path: 'reg.txt', line: 4, excerpt: 'SmePort    REG_DWORD    0x1974' }]);
    });

    it('reads the same from a UTF-16LE file written by PowerShell 5.1', () => {
      const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('reg-query-sme.txt').toString('utf8')), 'reg.txt');
      assert.equal(detectParser(fromUtf16), regQueryParser);
      assert.deepEqual(regQueryParser.parse(fromUtf16, pastedInput('reg.txt')).observations, regQueryParser.parse(text, pastedInput('reg.txt')).observations);
    });

    it('converts hex exactly (0x196c is 6508, not 6516)', () => {
      const o = regQueryParser.parse(`${KEY}\n    SmePort    REG_DWORD    0x196c\n`, pastedInput('r.txt')).observations[0]!;
      assert.equal((o.value as { smePort?: number }).smePort, 6508);
    });

    it('accepts SmePort as REG_SZ and keeps empty data', () => {
      const o = regQueryParser.parse(`\n${KEY}\n    SmePort    REG_SZ    443\n    (Default)    REG_SZ    \n`, pastedInput('r.txt')).observations[0]!;
      assert.deepEqual(o.value, { present: true, values: { SmePort: '443', '(Default)': '' }, smePort: 443 });
    });

    it('leaves values of subkeys (reg query /s) out', () => {
      const text2 = [
        KEY, '    SmePort    REG_DWORD    0x1974', '',
        `${KEY}\\Ha`, '    SmePort    REG_DWORD    0x1bb', '    Enabled    REG_DWORD    0x1', '',
        'End of search: 3 match(es) found.',
      ].join('\n');
      const o = regQueryParser.parse(text2, pastedInput('r.txt')).observations[0]!;
      assert.deepEqual(o.value, { present: true, values: { SmePort: '6516' }, smePort: 6516 });
    });

    it('reports the key without SmePort with the key line as evidence', () => {
      const o = regQueryParser.parse(`\n${KEY}\n    UseHttps    REG_DWORD    0x1\n`, pastedInput('r.txt')).observations[0]!;
      assert.deepEqual(o.value, { present: true, values: { UseHttps: '1' } });
      assert.equal(o.evidence[0]!.line, 2);
    });

    it('warns about an SmePort that is not a port', () => {
      const r = regQueryParser.parse(`${KEY}\n    SmePort    REG_SZ    sixty\n`, pastedInput('r.txt'));
      assert.deepEqual(r.observations[0]!.value, { present: true, values: { SmePort: 'sixty' } });
      assert.match(r.warnings![0]!, /SmePort "sixty" is not a valid port/);
    });
  });

  describe('Get-ItemProperty output', () => {
    const text = fixtureText('get-itemproperty-sme.txt');

    it('is detected and read, PS* properties left out', () => {
      assert.equal(detectParser(text), regQueryParser);
      const o = regQueryParser.parse(text, pastedInput('gip.txt')).observations[0]!;
      assert.deepEqual(o.value, {
        present: true,
        values: { SmePort: '6516', UseHttps: '1', Version: '1.5.2306.14001', ClientCertificateThumbprint: '3F2A9C41D7B0E85C6A1F94D2B7E03C58A9D61F4E', DevMode: '0' },
        smePort: 6516,
      });
      assert.deepEqual(o.evidence, [{ source: 'pasted', path: 'gip.txt', line: 4, excerpt: 'SmePort                     : 6516' }]);
    });

    it('does not claim another key (the Ha subkey)', () => {
      const ha = text.replace(/ServerManagementGateway$/gm, 'ServerManagementGateway\\Ha').replace(/PSChildName\s+: ServerManagementGateway/, 'PSChildName : Ha');
      assert.equal(regQueryParser.detect(ha), 0);
    });

    it('reads "Cannot find path" (even wrapped by the console) as a missing key', () => {
      const err = [
        'Get-ItemProperty : Cannot find path \'HKLM:\\SOFTWARE\\Microsoft\\ServerManagementGateway\' because it does not exi',
        'st.',
        'At line:1 char:1',
      ].join('\n');
      assert.equal(detectParser(err), regQueryParser);
      const o = regQueryParser.parse(err, pastedInput('e.txt')).observations[0]!;
      assert.deepEqual(o.value, { present: false, values: {} });
      assert.equal(o.evidence[0]!.line, 1);
    });

    it('reads "Property SmePort does not exist" as a present key without the value', () => {
      const err = 'Get-ItemProperty : Property SmePort does not exist at path HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ServerManagementGateway.';
      const r = regQueryParser.parse(err, pastedInput('e.txt'));
      assert.deepEqual(r.observations[0]!.value, { present: true, values: {} });
      assert.match(r.warnings![0]!, /no SmePort value/);
    });
  });

  describe('missing key', () => {
    it('reads the reg.exe error under the echoed command', () => {
      const text = fixtureText('reg-query-missing.txt');
      assert.equal(regQueryParser.detect(text), 90);
      assert.equal(detectParser(text), regQueryParser);
      const r = regQueryParser.parse(text, pastedInput('m.txt'));
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(r.observations[0]!.value, { present: false, values: {} });
      assert.deepEqual(r.observations[0]!.evidence, [{
        source: 'pasted', path: 'm.txt', line: 2, excerpt: 'ERROR: The system was unable to find the specified registry key or value.',
      }]);
    });

    it('claims a bare error weakly, with a warning', () => {
      const bare = 'ERROR: The system was unable to find the specified registry key or value.\n';
      assert.equal(regQueryParser.detect(bare), 30);
      const r = regQueryParser.parse(bare, pastedInput('m.txt'));
      assert.deepEqual(r.observations[0]!.value, { present: false, values: {} });
      assert.match(r.warnings![0]!, /does not name the key/);
    });

    it('does not claim the error for another key', () => {
      const other = 'C:\\>reg query "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM"\nERROR: The system was unable to find the specified registry key or value.\n';
      assert.equal(regQueryParser.detect(other), 0);
    });

    it('does not call the key missing when only the /v value is', () => {
      const v = 'C:\\>reg query HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway /v SmePort\nERROR: The system was unable to find the specified registry key or value.\n';
      const r = regQueryParser.parse(v, pastedInput('v.txt'));
      assert.deepEqual(r.observations, []);
      assert.match(r.warnings![0]!, /\/v found no such value/);
    });
  });

  it('does not claim other keys', () => {
    assert.equal(regQueryParser.detect('\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\n    CurrentBuild    REG_SZ    20348\n'), 0);
    assert.equal(regQueryParser.detect(fixtureText('sc-query-himds.txt')), 0);
  });

  it('throws ParseError when the key is named but nothing usable follows', () => {
    const bad = 'C:\\>reg query HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway\nAccess is denied.\n';
    assert.ok(regQueryParser.detect(bad) > 0);
    assert.throws(() => regQueryParser.parse(bad, pastedInput('b.txt')), (err: unknown) => err instanceof ParseError && /expected the key line/.test(err.message));
  });
});

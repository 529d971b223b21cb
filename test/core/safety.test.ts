import { strict as assert } from 'node:assert';
import { redact, redactDeep } from '../../core/text/redact';
import { decodeText, InputError } from '../../core/text/text-input';
import { fixes } from '../../core/catalog/fixes';
import { machineId, proxyUrl } from '../../core/catalog/fix-values';

describe('redact', () => {
  it('removes proxy credentials, SAS signatures, bearer tokens, JWTs and keys', () => {
    assert.equal(redact('proxy http://alice:S3cret@10.1.2.3:3128 set'), 'proxy http://***@10.1.2.3:3128 set');
    assert.equal(redact('https://x.blob.core.windows.net/c/f?sv=2022&sig=abc%2Bdef&se=1'), 'https://x.blob.core.windows.net/c/f?sv=2022&sig=***&se=1');
    assert.equal(redact('Authorization: Bearer abcdefghijklmnop'), 'Authorization: Bearer ***');
    assert.equal(redact('token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl end'), 'token *** end');
    assert.equal(redact('Endpoint=sb://x/;SharedAccessKey=AbCd123=;'), 'Endpoint=sb://x/;SharedAccessKey=***;');
    assert.deepEqual(redactDeep({ a: ['http://u:p@h:1'], n: 3 }), { a: ['http://***@h:1'], n: 3 });
  });
  it('leaves ordinary text alone', () => {
    const text = 'time="2025-06-03T14:07:12Z" level=info msg="Connected to https://gbl.his.arc.azure.com" port=6516';
    assert.equal(redact(text), text);
  });
});

describe('decodeText', () => {
  const sample = 'Agent Version : 1.45\r\nAgent Status : Connected\r\n';
  it('decodes UTF-8 with and without BOM, UTF-16 LE/BE with BOM and BOM-less UTF-16 LE; normalizes CRLF', () => {
    const expected = 'Agent Version : 1.45\nAgent Status : Connected\n';
    assert.equal(decodeText(Buffer.from(sample), 'a'), expected);
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]), 'a'), expected);
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]), 'a'), expected);
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(sample, 'utf16le').swap16()]), 'a'), expected);
    assert.equal(decodeText(Buffer.from(sample, 'utf16le'), 'a'), expected);
  });
  it('refuses binary data with a message naming the input', () => {
    assert.throws(() => decodeText(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2, 0, 0, 0, 7, 8]), 'x.bin'), (e: unknown) => e instanceof InputError && /^x\.bin: binary data; expected text/.test(e.message));
  });
});

describe('fix catalog', () => {
  it('validates ports; anything else becomes a placeholder', () => {
    assert.equal(fixes.setIncomingPorts([6516, 22, 6516]).commands[0]!.command, "azcmagent config set incomingconnections.ports '22,6516'");
    assert.equal(fixes.setIncomingPorts([70000]).commands[0]!.command, "azcmagent config set incomingconnections.ports '<port>'");
    assert.equal(fixes.setIncomingPorts([22, Number('6516; calc')]).commands[0]!.command, "azcmagent config set incomingconnections.ports '22,<port>'");
  });
  it('never copies unvalidated names or URLs into commands', () => {
    assert.equal(proxyUrl('http://bob:pw@proxy.contoso.com:8080'), 'http://proxy.contoso.com:8080');
    assert.equal(proxyUrl('http://bob:pw@proxy.contoso.com:8080/x?y'), undefined, 'a path or query is not a proxy URL');
    assert.equal(proxyUrl('http://evil.com`;calc`:80'), undefined);
    assert.equal(machineId('/subscriptions/x/resourceGroups/rg;rm/providers/Microsoft.HybridCompute/machines/m'), undefined);
    const id = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv-01';
    assert.equal(machineId(id)?.resourceGroup, 'rg-arc');
    const cmds = fixes.reinstallExtension(id, 6516).commands.map((c) => c.command).join('\n');
    assert.match(cmds, /--machine-name 'srv-01' --resource-group 'rg-arc' --subscription '00000000-1111-2222-3333-444444444444'/);
    assert.match(fixes.reinstallExtension('$(calc)').commands[0]!.command, /--machine-name '<machine-name>' --resource-group '<resource-group>' --yes/);
    // The HybridConnectivity PUTs of install and reinstall take the same validated id and port.
    for (const fix of [fixes.reinstallExtension('$(calc)', 443), fixes.installExtension('/subscriptions/x;calc/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m')]) {
      const puts = fix.commands.filter((c) => c.command.startsWith('az rest --method put'));
      assert.equal(puts.length, 2);
      for (const c of puts) assert.match(c.command, /^az rest --method put --uri '<endpoint-uri>' --body '@wac-(endpoint|serviceconfig)\.json'$/);
    }
  });
});

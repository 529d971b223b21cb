/**
 * The one redactor (issue 12 item 3, issue 9 item 2): every class of secret seen leaking, encoded forms, ordinary text
 * left alone, and linear time on adversarial shapes.
 */
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { redact, redactDeep } from '../../core/text/redact';

/** Redacts and checks that `secret` is gone and every `keep` is still there. */
function gone(text: string, secret: string | string[], keep: string[] = []): string {
  const out = redact(text);
  for (const s of [secret].flat()) assert.ok(!out.includes(s), `${JSON.stringify(s)} survived in ${JSON.stringify(out)}`);
  for (const k of keep) assert.ok(out.includes(k), `${JSON.stringify(k)} lost from ${JSON.stringify(out)}`);
  return out;
}

describe('redact: URL userinfo, whole, up to the last @ before the host', () => {
  it('the reported proxy URL: \\ and @ in the credentials', () => {
    assert.equal(redact('proxy.url : http://contoso\\svc-arc:S3cr3tP@ss@proxy.contoso.com:8080'), 'proxy.url : http://***@proxy.contoso.com:8080');
  });
  it('passwords with @ : / \\ %40, unicode and empty ones', () => {
    const cases: Array<[string, string]> = [
      ['http://svc:p@ss@proxy.contoso.com:8080', 'p@ss'],
      ['http://svc:p:a:ss@proxy.contoso.com:8080', 'p:a:ss'],
      ['http://svc:pa/ss@proxy.contoso.com:8080', 'pa/ss'],
      ['http://svc:pa/ss/more@proxy.contoso.com:8080/x', 'pa/ss'],
      ['http://dom\\user:pa\\ss@proxy.contoso.com:8080', 'pa\\ss'],
      ['http://svc:p%40ss@proxy.contoso.com:8080', 'p%40ss'],
      ['http://svc:pässwörd€@proxy.contoso.com:8080', 'pässwörd€'],
      ['http://svc:@proxy.contoso.com:8080', 'svc:'],
      ['http://svc@proxy.contoso.com:8080', 'svc@'],
      ['HTTPS://svc:Secr3t@proxy.contoso.com', 'Secr3t'],
      ['socks5h://svc:Secr3t@[fd00::1]:1080', 'Secr3t'],
    ];
    for (const [text, secret] of cases) gone(`set ${text} now`, secret, ['proxy.contoso.com', ' now'].filter((k) => text.includes(k.trim()) || k === ' now'));
    assert.equal(redact('http://svc:p@ss@10.1.2.3:3128'), 'http://***@10.1.2.3:3128');
    // Excerpts clipped with … (after or before the @), and prose punctuation after the port.
    assert.equal(redact('TCP failed: proxy http://corp\\svc:Pa/ss@w0rd@proxy.corp.e\u2026'), 'TCP failed: proxy http://***@proxy.corp.e\u2026');
    assert.equal(redact('via http://svc:Pa/s\u2026'), 'via http://***\u2026');
    assert.equal(redact('proxy http://svc:pw@proxy.corp.example:3128: refused'), 'proxy http://***@proxy.corp.example:3128: refused');
    assert.equal(redact('http://host:8\u2026'), 'http://host:8\u2026');
  });
  it('JSON-escaped and percent-encoded URLs', () => {
    assert.equal(redact('{"proxy":"http:\\/\\/svc:pw@proxy.contoso.com:8080"}'), '{"proxy":"http:\\/\\/***@proxy.contoso.com:8080"}');
    gone('http%3A%2F%2Fsvc%3Apw%40proxy.contoso.com%3A8080', 'svc%3Apw', ['proxy.contoso.com']);
    gone('http:\\u002f\\u002fsvc:pw\\u0040proxy.contoso.com', 'svc:pw', ['proxy.contoso.com']);
  });
  it('user:pass@host without a scheme', () => {
    assert.equal(redact('HTTPS_PROXY=svc-arc:Pr0xy@proxy.contoso.com:3128'), 'HTTPS_PROXY=***@proxy.contoso.com:3128');
    assert.equal(redact('Proxy Server(s) : svc:p@ss@10.0.0.5:8080'), 'Proxy Server(s) : ***@10.0.0.5:8080');
  });
});

describe('redact: secret-named keys, flags, tokens', () => {
  it('SAS signatures, plain and encoded', () => {
    assert.equal(redact('https://x.blob.core.windows.net/c/f?sv=2022&sig=abc%2Bdef&se=1'), 'https://x.blob.core.windows.net/c/f?sv=2022&sig=***&se=1');
    gone('https://x.blob.core.windows.net/c/f?sv=2022\\u0026sig=abcSECRETdef\\u0026se=1', 'abcSECRETdef', ['se=1', 'x.blob.core.windows.net']);
    gone('url=https%3A%2F%2Fx.blob.core.windows.net%2Fc%3Fsv%3D2022%26sig%3DabcSECRETdef%26se%3D1', 'abcSECRETdef', ['x.blob.core.windows.net', 'se%3D1']);
    gone('u=https%253A%252F%252Fx%252Fc%253Fsig%253DabcSECRETdef', 'abcSECRETdef');
  });
  it('keys whose name contains secret, password, token, key, sig (JSON, escaped JSON, key=value, labels)', () => {
    gone('time="2025-06-03T14:07:12Z" level=info msg="{\\"clientSecret\\":\\"s3cr3tVALUE\\",\\"tenant\\":\\"t1\\"}"', 's3cr3tVALUE', ['tenant', 't1']);
    gone('msg="got {\\"access_token\\":\\"eyAbcTOKEN123\\",\\"expires_in\\":3599}"', 'eyAbcTOKEN123', ['expires_in', '3599']);
    gone('proxyPassword=hunter2hunter level=info', 'hunter2hunter', ['level=info']);
    gone('"proxyPassword": "hunter2hunter"', 'hunter2hunter');
    gone('Endpoint=sb://x/;SharedAccessKey=AbCd123=;EntityPath=e', 'AbCd123', ['EntityPath=e']);
    gone('SharedAccessSignature=sr%3Dx%26sig%3DSIGVALUE%26se%3D1', 'SIGVALUE');
    gone('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=QUJDREVGRw==;EndpointSuffix=core.windows.net', 'QUJDREVGRw', ['AccountName=a', 'EndpointSuffix']);
    gone('refresh_token=rt-SECRET&scope=x', 'rt-SECRET', ['scope=x']);
    gone('Proxy Password : correct horse battery', 'correct horse battery', ['Proxy Password']);
    gone('api-key: k3yk3yk3y', 'k3yk3yk3y');
    gone('https://login.example.com/cb?code=0.AUTHCODE&state=1', '0.AUTHCODE', ['state=1']);
  });
  it('--*-secret / --*-token flags and PowerShell parameters', () => {
    assert.equal(redact('az login --service-principal -u app --service-principal-secret X7secret --tenant t'), 'az login --service-principal -u app --service-principal-secret *** --tenant t');
    gone('azcmagent connect --service-principal-secret=Y8secret --location westeurope', 'Y8secret', ['--location westeurope']);
    gone('az storage blob list --sas-token "sv=2022&sig=Z9sig"', 'Z9sig');
    gone('Connect-AzAccount -Password Pa55word -Tenant t', 'Pa55word', ['-Tenant t']);
  });
  it('bearer and basic, any case; Authorization headers; JWTs', () => {
    assert.equal(redact('Authorization: Bearer abcdefghijklmnop'), 'Authorization: Bearer ***');
    gone('authorization: bearer abcdefghijklmnop', 'abcdefghijklmnop');
    gone('sent BEARER abcdefghijklmnop to x', 'abcdefghijklmnop', [' to x']);
    gone('Proxy-Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz');
    gone('token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl end', 'eyJhbGciOiJSUzI1NiJ9', [' end']);
  });
  it('deep: every string of a JSON-like value', () => {
    assert.deepEqual(redactDeep({ a: ['http://u:p@h:1'], n: 3, b: { s: 'x --client-secret y' } }), { a: ['http://***@h:1'], n: 3, b: { s: 'x --client-secret ***' } });
  });
});

describe('redact: ordinary text stays as it is', () => {
  const ordinary = [
    'time="2025-06-03T14:07:12Z" level=info msg="Connected to https://gbl.his.arc.azure.com" port=6516',
    'Agent Version                           : 1.45.02800.1139',
    'Resource Id                             : /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01',
    'Tenant ID : 72f988bf-86f1-41af-91ab-2d7cd011db47',
    'Connecting to keyvault-prod.vault.azure.net:443 (keyvault.azure.net)',
    'https://mykeyvault.vault.azure.net/secrets/?api-version=7.4',
    'Exit Code=0; ExitCode: 1',
    'roleAssignmentId=9c1e3b0e-1111-2222-3333-444444444444 assignee=bob@contoso.com',
    'npm http fetch GET 200 https://registry.npmjs.org/@types/node 12ms',
    'mail bob@contoso.com about it',
    'Key Vault Name : kv-arc-01',
    'proxy.bypass : [AAD, Arc]',
    'incomingconnections.ports (preview)     : [22, 6516]',
    'Started 2024-11-18T09:12:00Z; took 12:30 min',
    'az connectedmachine extension create --name AdminCenter --machine-name \'srv01\' --resource-group \'rg-arc\' --location \'westeurope\' --settings \'port=6516\'',
    'Test-NetConnection -ComputerName \'wac.azure.com\' -Port 443',
    'The token cache is empty.',
    'the zip\'s entry list is damaged (invalid central directory file header signature: 0x2015858)',
  ];
  for (const text of ordinary) it(JSON.stringify(text.slice(0, 60)), () => assert.equal(redact(text), text));
});

describe('redact: linear time', function () {
  this.timeout(60000);
  const shapes: Record<string, (n: number) => string> = {
    letters: (n) => 'a'.repeat(n),
    spaces: (n) => ' '.repeat(n),
    colons: (n) => ':'.repeat(n),
    equals: (n) => '='.repeat(n),
    ats: (n) => '@'.repeat(n),
    schemes: (n) => 'a://'.repeat(n / 4),
    'scheme-at': (n) => `http://${'a@'.repeat(n / 2)}`,
    'user-pass': (n) => 'u:p@'.repeat(n / 4),
    keys: (n) => 'password='.repeat(n / 9),
    'key-quote': (n) => 'password="'.repeat(n / 10),
    flags: (n) => '--client-secret '.repeat(n / 16),
    jwt: (n) => 'eyJ'.repeat(n / 3),
    'jwt-dash': (n) => 'eyJ-'.repeat(n / 4),
    bearer: (n) => 'bearer '.repeat(n / 7),
    percent: (n) => '%41'.repeat(n / 3),
    unicode: (n) => '\\u0041'.repeat(n / 6),
    backslashes: (n) => '\\'.repeat(n),
    'auth-headers': (n) => 'Authorization: '.repeat(n / 15),
    mixed: (n) => 'k=v; u:p@h ://x?sig=1 '.repeat(n / 22),
  };
  const time = (text: string): number => {
    redact(text); // warm-up: JIT and allocation, not the algorithm
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      redact(text);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  for (const [name, make] of Object.entries(shapes)) {
    it(`${name}: 100 kB takes about 10x the time of 10 kB, not 100x`, () => {
      const small = time(make(10_000));
      const large = time(make(100_000));
      // Linear is ~10; quadratic would be ~100 (seconds at 100 kB). Small inputs are noisy (GC, JIT): floor them at 5 ms.
      assert.ok(large / Math.max(small, 5) < 40, `${name}: ${small.toFixed(1)} ms -> ${large.toFixed(1)} ms`);
    });
  }
});

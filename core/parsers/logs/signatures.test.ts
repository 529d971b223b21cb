import { strict as assert } from 'node:assert';
import { matchSignatures, SIGNATURE_HINT, SIGNATURES } from '../../catalog/signatures';

const ids = (text: string): string[] => matchSignatures(text).map((m) => m.signature.id).sort();
const subject = (text: string, id: string): string | undefined => matchSignatures(text).find((m) => m.signature.id === id)?.subject;

describe('signature catalog', () => {
  it('has unique ids, each with a meaning', () => {
    assert.equal(new Set(SIGNATURES.map((s) => s.id)).size, SIGNATURES.length);
    for (const s of SIGNATURES) assert.ok(s.meaning.length > 10, s.id);
  });

  it('AZCM and HCRP codes, with the code as subject', () => {
    assert.equal(subject('INFO    Exit Code:  AZCM0043: Failed to Delete Resource', 'azcm-code'), 'AZCM0043');
    assert.equal(subject('error HCRP400 returned', 'hcrp-code'), 'HCRP400');
    assert.deepEqual(ids('XAZCM0043 is not a code'), []);
  });

  it('registration: MissingSubscriptionRegistration and the documented sentence, with the namespace', () => {
    assert.equal(subject("The subscription isn't registered to use namespace 'Microsoft.HybridCompute'", 'missing-registration'), 'Microsoft.HybridCompute');
    assert.equal(subject('Code="MissingSubscriptionRegistration" Message="The subscription is not registered to use namespace \'Microsoft.HybridConnectivity\'."', 'missing-registration'), 'Microsoft.HybridConnectivity');
    assert.equal(subject('NoRegisteredProviderFound: No registered resource provider found for location westeurope ... of Microsoft.HybridConnectivity', 'no-registered-provider'), 'Microsoft.HybridConnectivity');
  });

  it('authorization: AuthorizationFailed / LinkedAuthorizationFailed with the action as subject', () => {
    const text = "(AuthorizationFailed) The client 'a@b.c' with object id 'x' does not have authorization to perform action 'Microsoft.HybridConnectivity/endpoints/listCredentials/action' over scope '/s'";
    assert.equal(subject(text, 'authorization-failed'), 'Microsoft.HybridConnectivity/endpoints/listCredentials/action');
    assert.equal(subject('LinkedAuthorizationFailed: ... Microsoft.HybridCompute/machines/read/action', 'authorization-failed'), 'Microsoft.HybridCompute/machines/read/action');
    assert.equal(subject("does not have authorization to perform action 'Microsoft.HybridCompute/machines/read'", 'authorization-failed'), 'Microsoft.HybridCompute/machines/read');
  });

  it('network, TLS and proxy failures are named by the error taxonomy\'s layers', () => {
    assert.deepEqual(ids('dial tcp: lookup gbl.his.arc.azure.com on 10.0.0.2:53: no such host'), ['dns']);
    assert.deepEqual(ids('dial tcp 20.1.2.3:443: i/o timeout'), ['tcp-timeout']);
    assert.deepEqual(ids('No connection could be made because the target machine actively refused it.'), ['tcp-refused']);
    assert.deepEqual(ids('connect: network is unreachable'), ['tcp-refused']);
    assert.deepEqual(ids('context deadline exceeded (Client.Timeout exceeded while awaiting headers)'), ['tcp-timeout']);
    assert.deepEqual(ids('Get "https://x": proxyconnect tcp: dial tcp 10.0.0.1:3128: i/o timeout'), ['proxy-connect', 'tcp-timeout']);
    assert.deepEqual(ids('read tcp 10.0.0.4:5000->20.1.2.3:443: wsarecv: An existing connection was forcibly closed by the remote host.'), ['reset']);
  });

  it('TLS: unknown authority (with the candidate CA), expiry, names, handshake failures', () => {
    const text = 'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "Contoso TLS Inspection CA")';
    assert.deepEqual(ids(text), ['tls-untrusted-root']);
    assert.equal(subject(text, 'tls-untrusted-root'), 'Contoso TLS Inspection CA');
    assert.deepEqual(ids('x509: certificate has expired or is not yet valid'), ['tls-expired']);
    assert.deepEqual(ids('x509: certificate is valid for proxy.contoso.com, not pas.windows.net'), ['tls-name']);
    assert.deepEqual(ids('remote error: tls: handshake failure'), ['tls-handshake']);
  });

  it('HTTP 407 and 403 only in an HTTP context, never a bare number', () => {
    assert.deepEqual(ids('Proxy Authentication Required'), ['proxy-auth']);
    assert.deepEqual(ids('The remote server returned an error: (407) Proxy Authentication Required.'), ['proxy-auth']);
    assert.deepEqual(ids('Status Code=407'), ['proxy-auth']);
    assert.deepEqual(ids("Failed to execute the refresh request. Error = 'Forbidden'"), ['http-forbidden']);
    assert.deepEqual(ids('request 4071-403 took 403ms'), []);
  });

  it('WAC gateway start failures: revoked signing certificates, the Service Control Manager, Kestrel binds, port reservations', () => {
    assert.equal(subject("The signing certificate (thumbprint: 0123456789ABCDEF0123456789ABCDEF01234567) for file 'C:\\Program Files\\Windows Admin Center\\X.dll' is revoked.", 'wac-gateway-start-failure'), 'revoked signing certificate');
    assert.ok(subject('The Windows Admin Center service terminated unexpectedly.  It has done this 3 time(s).', 'wac-gateway-start-failure'));
    assert.ok(subject('A timeout was reached (30000 milliseconds) while waiting for the ServerManagementGateway service to connect.', 'wac-gateway-start-failure'));
    assert.equal(subject('System.IO.IOException: Failed to bind to address https://[::]:6516: address already in use.', 'wac-gateway-start-failure'), 'port 6516');
    assert.equal(subject('CustomAction returned: Failed to reserve port 6516 for the gateway', 'wac-gateway-start-failure'), 'port 6516');
    assert.deepEqual(ids('The Windows Admin Center service entered the running state.'), []);
    assert.deepEqual(ids("The signing certificate for file 'x.dll' was checked."), []);
  });

  it('states and versions', () => {
    assert.equal(subject('Agent Status                            : Disconnected', 'agent-status'), 'Disconnected');
    assert.equal(subject('  Agent Service (himds)                 : stopped', 'service-state'), 'himds=stopped');
    assert.equal(subject('Stopped  himds              Azure Hybrid Instance Metadata Service', 'service-state'), 'himds=Stopped');
    assert.equal(subject('Agent Version                           : 1.45.02669.1635', 'agent-version'), '1.45.02669.1635');
    assert.equal(subject('azcmagent version 1.13.21320.014', 'agent-version'), '1.13.21320.014');
    assert.deepEqual(ids('version 2.1'), []);
  });

  it('the prefilter passes every line a signature matches', () => {
    const lines = [
      'AZCM0026', 'HCRP400', 'MissingSubscriptionRegistration', 'NoRegisteredProviderFound', 'AuthorizationFailed', 'Proxy Authentication Required',
      'proxyconnect tcp', 'x509: certificate signed by unknown authority', 'remote error: tls: handshake failure', 'no such host', "The remote name could not be resolved: 'x'",
      'i/o timeout', 'actively refused', 'no route to host', 'context deadline exceeded', '403 Forbidden', 'Agent Status : Connected', '(himds) : running', 'Agent Version : 1.45.02669.1635',
      'The Windows Admin Center service terminated unexpectedly.', 'Failed to bind to address https://[::]:6516: address already in use.', 'Failed to reserve port 6516',
      "The signing certificate (thumbprint: 0123456789ABCDEF0123456789ABCDEF01234567) for file 'C:\\x.dll' is revoked.",
      'A timeout was reached (30000 milliseconds) while waiting for the WindowsAdminCenter service to connect.',
    ];
    for (const l of lines) {
      assert.ok(matchSignatures(l).length > 0, `catalog: ${l}`);
      assert.ok(SIGNATURE_HINT.test(l), `hint: ${l}`);
    }
  });
});

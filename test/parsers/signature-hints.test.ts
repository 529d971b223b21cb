/**
 * The signature hints are prefilters: a text a hint refuses must be one its signature cannot match. Tested on every
 * example of every signature, on every line of the fixtures, and end to end: reports with the hints are the
 * reports without them.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CLASSES } from '../../core/catalog/error-taxonomy';
import { matchSignatures, NETWORK_HINT, SIGNATURE_HINT, SIGNATURES, type Signature } from '../../core/catalog/signatures';
import { SCENARIOS } from '../../scripts/make-bundles';
import { analyzeBundle } from '../../core/sources/bundle';
import { analyzeInputs } from '../../core/sources/targets';
import { RULES } from '../../rules';
import { bundlePath, NOW, scratchDir } from '../bundle/fixtures';
import { writeBigBundle } from '../../bench/generate';
import { PROBLEM_HINT } from '../../core/parsers/logs/interpret';

const ROOT = join(__dirname, '..', '..');

/** Texts each non-network signature matches (the network ones take the taxonomy's examples of their layer). */
const EXAMPLES: Record<string, string[]> = {
  'azcm-code': ['INFO    Exit Code:  AZCM0043: Failed to Delete Resource', 'AZCM0026'],
  'hcrp-code': ['error HCRP400 returned', '(HCRP4005) The resource was not found'],
  'azure-vm-refused': ["install_windows_azcmagent.ps1 : 'Cannot install Azure Connected Machine agent on an Azure Virtual Machine.", 'see https://aka.ms/azcmagent-testwarning for more details'],
  'missing-registration': ["The subscription isn't registered to use namespace 'Microsoft.HybridCompute'", 'Code="MissingSubscriptionRegistration"', 'is not registered to use the namespace Microsoft.X',
    "The resource provider 'Microsoft.HybridConnectivity' is not registered in subscription 1234.", "Resource provider Microsoft.HybridCompute isn't registered"],
  'no-registered-provider': ['NoRegisteredProviderFound: No registered resource provider found for location westeurope'],
  'authorization-failed': ['(AuthorizationFailed) The client', 'LinkedAuthorizationFailed: x', "does not have authorisation to perform action 'Microsoft.HybridCompute/machines/read'"],
  'http-forbidden': ['403 Forbidden', 'Status Code=403', 'The remote server returned an error: (403) Forbidden.', "Failed to execute the refresh request. Error = 'Forbidden'"],
  'wac-gateway-start-failure': [
    "The signing certificate (thumbprint: 0123456789ABCDEF0123456789ABCDEF01234567) for file 'C:\\x.dll' is revoked.",
    'The Windows Admin Center service terminated unexpectedly.', 'The ServerManagementGateway service terminated with the following error: x',
    'The WINDOWSADMINCENTER SERVICE FAILED TO START due to the following error', 'The SME Gateway service hung on starting.', 'The SmeGateway service did not respond to the start request',
    'A timeout was reached (30000 milliseconds) while waiting for the ServerManagementGateway service to connect.',
    'Failed to bind to address https://[::]:6516: address already in use.', 'Failed to reserve port 6516', 'failed to reserve URL for 443',
  ],
  'agent-status': ['Agent Status                            : Disconnected', 'agent status="Connected"'],
  'service-state': ['  Agent Service (himds)                 : stopped', '(extd): running', '(gcad) : unknown', '(arcproxyd): running', '(himdsd): stopped', 'Stopped  himds              Azure Hybrid Instance Metadata Service', 'running  WindowsAdminCenter  x'],
  'agent-version': ['Agent Version                           : 1.45.02669.1635', 'azcmagent version 1.13.21320.014', 'AgentVersion=1.45.02669.1635', 'HIMDS agent, version 1.40.02664.1629', 'Connected Machine Agent version 1.45.02669.1635'],
};

function examplesOf(sig: Signature): string[] {
  const own = EXAMPLES[sig.id];
  if (own) return own;
  return ERROR_CLASSES.filter((c) => c.layer === sig.id).flatMap((c) => c.examples);
}

/** What matchSignatures returns with no prefilter at all. */
function unfiltered(text: string): string[] {
  return SIGNATURES.flatMap((s) => {
    const m = s.re.exec(text);
    return m ? [`${s.id}@${m.index}:${s.subject?.(m) ?? ''}`] : [];
  });
}
const filtered = (text: string): string[] => matchSignatures(text).map((m) => `${m.signature.id}@${m.index}:${m.subject ?? ''}`);

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...textFiles(p));
    else if (!/\.zip$/.test(name)) out.push(p);
  }
  return out;
}

function fixtureLines(): string[] {
  const lines: string[] = [];
  for (const p of textFiles(join(ROOT, 'fixtures'))) lines.push(...readFileSync(p, 'utf8').split(/\r?\n/));
  for (const s of Object.values(SCENARIOS)) for (const f of s.files()) lines.push(...f.data.toString().split(/\r?\n/));
  return lines;
}

/** Runs `fn` with every hint admitting everything (the catalog and the interpreter as they were before hints). */
async function withoutHints<T>(fn: () => Promise<T>): Promise<T> {
  const saved = SIGNATURES.map((s) => s.hint);
  const all = /(?:)/;
  for (const s of SIGNATURES) (s as { hint: RegExp }).hint = all;
  for (const re of [SIGNATURE_HINT, PROBLEM_HINT]) (re as { test: (s: string) => boolean }).test = () => true;
  try {
    return await fn();
  } finally {
    SIGNATURES.forEach((s, i) => ((s as { hint: RegExp }).hint = saved[i]!));
    for (const re of [SIGNATURE_HINT, PROBLEM_HINT]) delete (re as { test?: unknown }).test;
  }
}

const strip = (reports: unknown): string => JSON.stringify(reports, (k, v: unknown) => (k === 'generatedAt' ? undefined : v));

describe('signature hints', () => {
  it('every signature has examples it matches, and its hint and SIGNATURE_HINT admit each', () => {
    for (const sig of SIGNATURES) {
      const examples = examplesOf(sig);
      assert.ok(examples.length > 0, `${sig.id} has no examples`);
      for (const e of examples) {
        assert.ok(sig.re.test(e), `${sig.id} does not match its example: ${e}`);
        assert.ok(sig.hint.test(e), `${sig.id}'s hint refuses its example: ${e}`);
        assert.ok(SIGNATURE_HINT.test(e), `SIGNATURE_HINT refuses ${sig.id}'s example: ${e}`);
      }
    }
  });

  it('the network hint leaves out the bare HTTP statuses of a retrying agent (no signature matches them)', () => {
    for (const line of ['level=warning msg="Retrying request" Status=503', 'Request returned an error status: 502 Bad Gateway (502) Bad Gateway']) {
      assert.equal(NETWORK_HINT.test(line), false, line);
      assert.equal(SIGNATURE_HINT.test(line), false, line);
      assert.deepEqual(unfiltered(line), []);
    }
  });

  it('hint-filtered matching finds what unfiltered matching finds on every fixture line', () => {
    const lines = fixtureLines();
    assert.ok(lines.length > 1000);
    let hits = 0;
    for (const line of lines) {
      const want = unfiltered(line);
      hits += want.length;
      assert.deepEqual(filtered(line), want, line);
      if (want.length > 0) assert.ok(SIGNATURE_HINT.test(line), line);
    }
    assert.ok(hits > 100, `only ${hits} signature hits in the fixtures`);
  });

  it('reports are the same with and without the hints on the fixture bundles, pasted outputs, real-world samples and bench bundles', async () => {
    const bundles = await Promise.all(Object.keys(SCENARIOS).map((n) => bundlePath(n)));
    // The bench's generator, small: a noisy log is where the hints refuse most.
    const dir = scratchDir('hints');
    for (const mix of ['typical', 'noisy'] as const) {
      const p = join(dir, `${mix}.zip`);
      await writeBigBundle(p, 3 * 1024 * 1024, 4, 3, mix);
      bundles.push(p);
    }
    const texts = [...textFiles(join(ROOT, 'fixtures', 'pasted')), ...textFiles(join(ROOT, 'fixtures', 'real-world', 'samples'))];
    const run = async (): Promise<string> => {
      const reports: unknown[] = [];
      for (const b of bundles) reports.push(await analyzeBundle(b, { rules: RULES, now: NOW }));
      for (const t of texts) reports.push(await analyzeInputs([t], { rules: RULES, now: NOW }));
      return strip(reports);
    };
    try {
      const hinted = await run();
      const plain = await withoutHints(run);
      assert.ok(hinted.length > 10000);
      assert.equal(hinted, plain);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a warning or error naming nothing the interpreter reads is refused early; one naming a status, version or code is not', () => {
    const admitted = (t: string): boolean => SIGNATURE_HINT.test(t) || PROBLEM_HINT.test(t);
    assert.equal(admitted('Failed to update extension status file: The process cannot access the file'), false);
    assert.equal(admitted('Unable to refresh instance metadata cache Component=himds'), false);
    for (const kept of ['Retrying request URL=https://x.y/z Status=503', 'Status Code: 200', 'Heartbeat Status=+200', 'OS=Windows', 'Exit Code=0', 'Command="azcmagent show"', 'AgentVersion=1.2.3.4', 'https://a.b is reachable']) {
      assert.ok(PROBLEM_HINT.test(kept), kept);
    }
    assert.ok(SIGNATURE_HINT.test('dial tcp 1.2.3.4:443: i/o timeout'));
  });
});

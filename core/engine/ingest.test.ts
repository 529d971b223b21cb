import { strict as assert } from 'node:assert';
import { FactStore } from './fact-store';
import { ingestText } from './ingest';
import { CONFIDENT_DETECTION, detectParserScored } from '../parsers';

describe('ingest: one text input to its parser, or read as text', () => {
  // A managed-identity token request: a command line with a URL and a PowerShell error, which is also the shape of a
  // WAC home-page probe (a guess below CONFIDENT_DETECTION), but no WAC host and no home-page answer.
  const tokenRequest = [
    'PS C:\\> $token = Invoke-RestMethod -Uri "http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https%3A%2F%2Fmanagement.azure.com" -Headers @{Metadata="true"}',
    "Get-Content : Access to the path 'C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens\\1a2b.key' is denied.",
    'At line:1 char:1',
    '',
  ].join('\n');

  it('a guessed parser that refuses the content leaves the text to the log grammars, and says so', () => {
    const guess = detectParserScored(tokenRequest);
    assert.ok(guess && guess.score < CONFIDENT_DETECTION, JSON.stringify(guess && { id: guess.parser.id, score: guess.score }));
    const summary = ingestText(new FactStore(), 'token.txt', tokenRequest);
    assert.equal(summary.status, 'parsed', summary.messages.join(' | '));
    assert.ok(summary.messages.some((m) => m.startsWith(`token.txt: looks like ${guess.parser.label} but `) && m.endsWith('; read as text instead')), summary.messages.join(' | '));
  });

  it('the log grammars then find what the text says (a known error beside the guessed command)', () => {
    const text = `${tokenRequest}Invoke-WebRequest : The remote name could not be resolved: 'pas.windows.net'\n`;
    const facts = new FactStore();
    const summary = ingestText(facts, 'token.txt', text);
    assert.equal(summary.status, 'parsed');
    assert.ok(facts.names().includes('probe.pas.windows.net'), facts.names().join(', '));
  });

  it('broken JSON that a parser claims stays the input\'s error (a weak claim too, when the text says nothing else)', () => {
    const truncated = '{\n  "agentVersion": "1.45.02669.1635",\n  "status": "Connected",\n';
    const claim = detectParserScored(truncated);
    assert.equal(claim?.parser.id, 'azcmagent-show-json');
    const summary = ingestText(new FactStore(), 'show.json', truncated);
    assert.equal(summary.status, 'error');
    assert.match(summary.messages[0]!, /^show\.json: looks like azcmagent show -j but /);
    assert.ok(!summary.messages.some((m) => m.includes('read as text instead')));
  });
});

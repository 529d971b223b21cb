/** Every parser for pasted outputs, in no particular order: detection picks by confidence. */
import type { TextParser } from './parser';
import { showTextParser, showJsonParser } from './azcmagent-show';
import { configTextParser, configJsonParser } from './azcmagent-config';
import { checkTextParser, checkJsonParser } from './azcmagent-check';
import { regQueryParser } from './reg-query';
import { scQueryParser } from './sc-query';
import { getServiceTableParser, getServiceJsonParser } from './get-service';
import { azExtensionParser } from './az-extension';
import { azMachineParser } from './az-machine';
import { wacHomeParser } from './wac-home';
import { azProviderParser } from './az-provider';
import { azRoleAssignmentParser } from './az-role-assignment';
import { testNetConnectionParser } from './test-netconnection';
import { wacDoctorProbesParser } from './wac-doctor-probes';
import { connectivityCsvParser } from './connectivity-csv';
import { psArcListParser } from './ps-arc-list';
import { azRestHybridConnectivityParser } from './az-rest-hybrid-connectivity';
import { getTlsCipherSuiteParser } from './get-tls-cipher-suite';
import { azLicenseProfileParser } from './az-license-profile';
import { w32tmParser } from './w32tm';
import { getNetFirewallRuleParser, netshFirewallRuleParser } from './firewall-rule';
import { extensionStatusParser } from './extension-status';
import { arcEndpointCheckParser } from './arc-endpoint-check';
import { envCheckerConnectivityParser } from './env-checker-connectivity';

export const PASTED_PARSERS: readonly TextParser[] = [
  showTextParser, showJsonParser,
  configTextParser, configJsonParser,
  checkTextParser, checkJsonParser,
  regQueryParser, scQueryParser,
  getServiceTableParser, getServiceJsonParser,
  azExtensionParser, azMachineParser,
  wacHomeParser, azProviderParser, azRoleAssignmentParser, testNetConnectionParser,
  wacDoctorProbesParser, connectivityCsvParser, psArcListParser,
  azRestHybridConnectivityParser,
  getTlsCipherSuiteParser, azLicenseProfileParser, w32tmParser, extensionStatusParser,
  getNetFirewallRuleParser, netshFirewallRuleParser, arcEndpointCheckParser, envCheckerConnectivityParser,
];

/** The parser that claims `text` with the highest confidence, or undefined when none does. */
export function detectParser(text: string, parsers: readonly TextParser[] = PASTED_PARSERS): TextParser | undefined {
  return detectParserScored(text, parsers)?.parser;
}

/**
 * Below this score a claim is a guess from a shape that other text has too (a command line with a URL, a lone
 * `Agent Version :`): when the parser then refuses the content, the text is read as text instead (ingest).
 */
export const CONFIDENT_DETECTION = 50;

/** detectParser, with the score (1-100) the parser gave. */
export function detectParserScored(text: string, parsers: readonly TextParser[] = PASTED_PARSERS): { parser: TextParser; score: number } | undefined {
  let best: TextParser | undefined;
  let bestScore = 0;
  for (const p of parsers) {
    const score = p.detect(text);
    if (score > bestScore) [best, bestScore] = [p, score];
  }
  return best ? { parser: best, score: bestScore } : undefined;
}

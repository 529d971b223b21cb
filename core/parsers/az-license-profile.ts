/**
 * The machine's license profile: `az rest --method get --uri <machine id>/licenseProfiles/default?api-version=2024-07-10`,
 * `Invoke-AzRestMethod ... | Select -Expand Content`, or `az connectedmachine license-profile show`.
 * Shape (azure-rest-api-specs hybridcompute stable/2024-07-10 examples/licenseProfile/LicenseProfile_Get.json, checked 2026-12):
 * `{"type":"Microsoft.HybridCompute/machines/licenseProfiles","properties":{"softwareAssurance":{"softwareAssuranceCustomer":true},
 *   "productProfile":{"subscriptionStatus":"Enabled","productType":"WindowsServer",...},"esuProfile":{...}}}`.
 * The SDK models flatten these to `softwareAssuranceCustomer`, `subscriptionStatus`, `productType` (Az.ConnectedMachine
 * LicenseProfile): accepted too [inferred for CLI output]. A 404 (`ResourceNotFound`) means no profile: neither attested
 * nor enrolled in pay-as-you-go (the attestation script of windows-server-management-overview PUTs it when absent).
 */
import { observe, type LicenseProfileFact } from '../model/facts';
import { lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import { isObject, parseJsonInput, str } from './az-extension';

const PROFILE_TYPE = /"type"\s*:\s*"Microsoft\.HybridCompute\/machines\/licenseProfiles"/i;
const MENTIONS_PROFILE = /\/licenseProfiles\/default\b/i;
const NOT_FOUND = /\bResourceNotFound\b|\bNot Found\b|^[ \t]*StatusCode[ \t]*:[ \t]*404[ \t]*$/im;

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return undefined;
}

/**
 * The license facts of a license profile object or of a machine's `licenseProfile` (instance view, which adds
 * `licenseStatus`). Undefined when the object carries none of them.
 */
export function licenseFact(obj: unknown): LicenseProfileFact | undefined {
  if (!isObject(obj)) return undefined;
  const p = isObject(prop(obj, 'properties')) ? prop(obj, 'properties') : obj;
  const sa = prop(p, 'softwareAssurance');
  const product = prop(p, 'productProfile');
  const fact: LicenseProfileFact = { present: true };
  const saCustomer = bool(prop(sa, 'softwareAssuranceCustomer')) ?? bool(prop(p, 'softwareAssuranceCustomer'));
  const productType = str(prop(product, 'productType')) ?? str(prop(p, 'productType'));
  const subscriptionStatus = str(prop(product, 'subscriptionStatus')) ?? str(prop(p, 'subscriptionStatus'));
  const licenseStatus = str(prop(p, 'licenseStatus'));
  if (saCustomer !== undefined) fact.softwareAssuranceCustomer = saCustomer;
  if (productType) fact.productType = productType;
  if (subscriptionStatus) fact.subscriptionStatus = subscriptionStatus;
  if (licenseStatus) fact.licenseStatus = licenseStatus;
  return Object.keys(fact).length > 1 || isObject(sa) || isObject(product) ? fact : undefined;
}

function parseLicenseProfile(text: string, input: InputRef): ParseResult {
  if (!PROFILE_TYPE.test(text) && NOT_FOUND.test(text)) {
    if (!MENTIONS_PROFILE.test(text)) throw new ParseError('a 404 answer without the licenseProfiles/default it was for; paste the command with its output');
    // Split only here: on a long paste that is no profile, a line array per call was most of the parse.
    const lines = text.split('\n');
    const at = Math.max(0, lines.findIndex((l) => NOT_FOUND.test(l)));
    return { observations: [observe('azure.licenseProfile', { present: false }, lineEvidence(input, at, lines[at]!))] };
  }
  const json = parseJsonInput(text);
  if (!isObject(json.value)) throw new ParseError('expected one license profile object');
  const fact = licenseFact(json.value);
  if (!fact) throw new ParseError('a JSON object without softwareAssurance or productProfile (expected az rest --method get --uri <machine id>/licenseProfiles/default?api-version=2024-07-10)');
  const line = json.lineOf('properties.softwareAssurance.softwareAssuranceCustomer', 'softwareAssurance.softwareAssuranceCustomer', 'softwareAssuranceCustomer',
    'properties.productProfile.subscriptionStatus', 'productProfile.subscriptionStatus', 'subscriptionStatus') ?? json.firstLine;
  return { observations: [observe('azure.licenseProfile', fact, lineEvidence(input, line, json.lines[line]!))] };
}

export const azLicenseProfileParser: TextParser = {
  id: 'az-license-profile',
  label: 'az rest licenseProfiles/default / az connectedmachine license-profile show',
  detect(text) {
    if (PROFILE_TYPE.test(text)) return 95;
    if (NOT_FOUND.test(text) && MENTIONS_PROFILE.test(text)) return 85;
    // Flattened CLI output: the license keys next to a licenseProfiles id, without the machine's own keys.
    if (MENTIONS_PROFILE.test(text) && /"(?:softwareAssuranceCustomer|productProfile)"\s*:/i.test(text) && !/"agentVersion"\s*:/i.test(text)) return 80;
    return 0;
  },
  parse: parseLicenseProfile,
};

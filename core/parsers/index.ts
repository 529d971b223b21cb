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
  getTlsCipherSuiteParser, azLicenseProfileParser, w32tmParser,
];

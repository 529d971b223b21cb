/**
 * Parsers of the files a bundle holds by path (core/specs BUNDLE_FILES names them by id), with one result shape:
 * observations, warnings, and the extension (`Publisher.Type`) a file is about, when it is about one.
 */
import type { Observation } from '../model/facts';
import type { FileParserId } from '../specs';
import { parseExtensionReport } from './extension-report';
import { parseStatusFile } from './extension-status';
import { parseAgentConfig, parseLocalConfig } from './logs/agent-config';
import type { InputRef } from './parser';

export interface FileParseResult {
  observations: Observation[];
  warnings?: string[];
  extension?: string;
}

export type FileParser = (text: string, input: InputRef) => FileParseResult;

export const FILE_PARSERS: Readonly<Record<Exclude<FileParserId, 'snapshot-manifest'>, FileParser>> = {
  'extension-status': parseStatusFile,
  'extension-report': parseExtensionReport,
  'agent-config': parseAgentConfig,
  'local-config': parseLocalConfig,
};

/**
 * Deterministic bench bundles (generated at bench time, never committed): `azcmagent logs`-shaped zips of
 * logrus agent logs, GuestConfig logs and a Windows event export, in two mixes from the same generator and seed:
 * - typical: about 1 % warning/error lines (a healthy agent with the odd timeout and retry);
 * - noisy: about 40 % warning/error lines, as agents that retry all night write them: failed requests with
 *   URLs and 5xx statuses, dial tcp timeouts, retries, warnings carrying `Status=200` after a retry, GuestConfig
 *   download errors, event-log warnings. Most of it names no signature; a share does (timeouts, no such host).
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import * as yazl from 'yazl';

export type Mix = 'typical' | 'noisy';

const MB = 1024 * 1024;

export { prng } from '../test/support/prng';
import { prng } from '../test/support/prng';


const HOSTS = ['gbl.his.arc.azure.com', 'westeurope.his.arc.azure.com', 'management.azure.com', 'login.microsoftonline.com', 'agentserviceapi.guestconfiguration.azure.com', 'guestnotificationservice.azure.com'];
const PATHS = ['/metadata/identity/oauth2/token', '/agentData/heartbeat', '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/srv01', '/api/v1/extensions', '/discovery/instance'];
const INFO = ['Heartbeat sent', 'Processing request', 'Token refreshed', 'Extension manager polling', 'Metadata request served', 'Checking for agent updates', 'Certificate cache refreshed', 'Reading local configuration'];
/** Problem messages that name no known signature (most of a noisy log). */
const PLAIN_ERRORS = [
  'Failed to update extension status file: The process cannot access the file because it is being used by another process.',
  'Unable to refresh instance metadata cache',
  'Failed to send heartbeat, will retry',
  'Request to service returned an unexpected response',
  'Extension handler did not report status in time',
  'Failed to read certificate from store, using cached copy',
];
const FIVE_XX = [500, 502, 503, 504];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const ip = (r: () => number): string => `20.50.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;

function requestId(r: () => number): string {
  return `${Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0')}-${Math.floor(r() * 0xffff).toString(16).padStart(4, '0')}-4e0a-9b7d-${Math.floor(r() * 0xffffffffffff).toString(16).padStart(12, '0')}`;
}

/** The typical mix, as the bench has always generated it (same bytes for the same seed). */
function typicalLogrus(r: () => number, time: string, host: string, id: string): string {
  const p = r();
  if (p < 0.004) return `time="${time}" level=error msg="Request failed" Error="Get \\"https://${host}/metadata\\": dial tcp ${ip(r)}:443: i/o timeout" Endpoint="https://${host}" RequestId=${id}`;
  if (p < 0.01) return `time="${time}" level=warning msg="Retrying request" Endpoint="https://${host}" Attempt=${1 + Math.floor(r() * 3)} RequestId=${id}`;
  if (p < 0.04) return `time="${time}" level=info msg="Request succeeded" Endpoint="https://${host}" Status Code=200 Duration=${Math.floor(r() * 900)}ms RequestId=${id}`;
  if (p < 0.06) return `time="${time}" level=debug msg="Cache lookup" Key="${id}" Hit=${r() < 0.5}`;
  return `time="${time}" level=info msg="${pick(r, INFO)}" Component=himds RequestId=${id} Duration=${Math.floor(r() * 900)}ms`;
}

/** 40 % warning/error: retries with statuses, timeouts, plain failures; the rest info as in the typical mix. */
function noisyLogrus(r: () => number, time: string, host: string, id: string): string {
  const p = r();
  const url = `https://${host}${pick(r, PATHS)}`;
  if (p < 0.03) return `time="${time}" level=error msg="Request failed" Error="Get \\"${url}\\": dial tcp ${ip(r)}:443: i/o timeout" Endpoint="https://${host}" RequestId=${id}`;
  if (p < 0.04) return `time="${time}" level=error msg="Request failed" Error="Post \\"${url}\\": dial tcp: lookup ${host}: no such host" RequestId=${id}`;
  if (p < 0.12) return `time="${time}" level=warning msg="Retrying request" URL="${url}" Attempt=${1 + Math.floor(r() * 5)} Status=${pick(r, FIVE_XX)} RequestId=${id}`;
  if (p < 0.20) return `time="${time}" level=error msg="Request returned an error status" Uri=${url} Status=${pick(r, FIVE_XX)} Duration=${Math.floor(r() * 30000)}ms RequestId=${id}`;
  if (p < 0.27) return `time="${time}" level=warning msg="Request completed after retries" Endpoint="https://${host}" Status=200 Attempt=${2 + Math.floor(r() * 4)} RequestId=${id}`;
  if (p < 0.38) return `time="${time}" level=error msg="${pick(r, PLAIN_ERRORS)}" Component=himds RequestId=${id}`;
  if (p < 0.40) return `time="${time}" level=warning msg="Slow response from service" Endpoint="https://${host}" Duration=${5000 + Math.floor(r() * 9000)}ms RequestId=${id}`;
  if (p < 0.45) return `time="${time}" level=info msg="Request succeeded" Endpoint="https://${host}" Status Code=200 Duration=${Math.floor(r() * 900)}ms RequestId=${id}`;
  if (p < 0.48) return `time="${time}" level=debug msg="Cache lookup" Key="${id}" Hit=${r() < 0.5}`;
  return `time="${time}" level=info msg="${pick(r, INFO)}" Component=himds RequestId=${id} Duration=${Math.floor(r() * 900)}ms`;
}

function logrusLine(r: () => number, t: number, mix: Mix): string {
  const time = new Date(Date.UTC(2026, 8, 14) + t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const host = pick(r, HOSTS);
  const id = requestId(r);
  return mix === 'typical' ? typicalLogrus(r, time, host, id) : noisyLogrus(r, time, host, id);
}

function gcLine(r: () => number, t: number, mix: Mix): string {
  const time = new Date(Date.UTC(2026, 8, 14) + t).toISOString().replace('T', ' ').replace('Z', '');
  let lvl = 'INFO';
  let msg: string;
  if (mix === 'typical') {
    lvl = r() < 0.005 ? 'ERROR' : 'INFO';
    msg = lvl === 'ERROR' ? 'Download of extension package failed: no such host' : pick(r, ['Polling for assignments', 'Timer fired', 'Policy evaluation completed', 'Sending telemetry batch']);
  } else {
    const p = r();
    if (p < 0.15) [lvl, msg] = ['ERROR', `Failed to download extension package from https://${pick(r, HOSTS)}/packages. Status code: ${pick(r, FIVE_XX)}. Retry attempt ${1 + Math.floor(r() * 9)}`];
    else if (p < 0.20) [lvl, msg] = ['ERROR', 'Download of extension package failed: no such host'];
    else if (p < 0.40) [lvl, msg] = ['WARNING', `Timer callback took ${1000 + Math.floor(r() * 4000)} ms; the previous run has not finished`];
    else msg = pick(r, ['Polling for assignments', 'Timer fired', 'Policy evaluation completed', 'Sending telemetry batch']);
  }
  return `[${time}] [PID ${4000 + Math.floor(r() * 900)}] [TID ${4400 + Math.floor(r() * 90)}] [${r() < 0.5 ? 'EXTMGR' : 'Pull Client'}] [${lvl}] [3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef] ${msg}`;
}

/** A Windows event export as `Get-WinEvent | Format-Table` writes it (free text: the plain grammar reads it). */
function eventLine(r: () => number, t: number, mix: Mix): string {
  const d = new Date(Date.UTC(2026, 8, 14) + t);
  const when = d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
  const problem = r() < (mix === 'typical' ? 0.01 : 0.4);
  if (!problem) return `${when}  Information  Microsoft-Windows-Security-SPP  16384  Successfully scheduled Software Protection service for re-start at ${when}.`;
  return r() < 0.5
    ? `${when}  Warning  Microsoft-Windows-Time-Service  129  NtpClient was unable to set a domain peer to use as a time source because of discovery error. Retrying in ${15 * (1 + Math.floor(r() * 8))} minutes.`
    : `${when}  Error  Microsoft-Windows-DistributedCOM  10016  The application-specific permission settings do not grant Local Activation permission for the COM Server application.`;
}

type Kind = 'logrus' | 'gc' | 'event';

/** A file of about `bytes` bytes, produced in ~1 MB pieces. */
function logStream(seed: number, bytes: number, kind: Kind, mix: Mix): Readable {
  const r = prng(seed);
  const line = kind === 'gc' ? gcLine : kind === 'event' ? eventLine : logrusLine;
  let produced = 0;
  let t = 0;
  return Readable.from((function* gen() {
    while (produced < bytes) {
      const lines: string[] = [];
      let size = 0;
      while (size < MB && produced + size < bytes) {
        t += Math.floor(r() * 2000);
        const l = line(r, t, mix);
        lines.push(l);
        size += l.length + 2;
      }
      produced += size;
      yield Buffer.from(`${lines.join('\r\n')}\r\n`);
    }
  })());
}

/**
 * Writes a bundle of `files` log files totalling about `totalBytes` uncompressed: two of three logrus agent logs,
 * one of three GuestConfig logs; the noisy mix also has a Windows event export. The typical mix is the bundle
 * the bench has always measured (same bytes for the same seed).
 */
export function writeBigBundle(path: string, totalBytes: number, files = 50, seed = 1, mix: Mix = 'typical'): Promise<void> {
  const zip = new yazl.ZipFile();
  const per = Math.ceil(totalBytes / files);
  const mtime = new Date('2026-09-14T09:00:00Z');
  for (let i = 0; i < files; i++) {
    const event = mix === 'noisy' && i === files - 1;
    const gcFile = i % 3 === 2;
    const name = event ? 'EventLogs/System-events.log'
      : gcFile ? `ProgramData/GuestConfig/ext_mgr_logs/gc_ext.${i}.log`
        : `ProgramData/AzureConnectedMachineAgent/Log/${i === 0 ? 'himds.log' : i === 1 ? 'azcmagent.log' : `himds-${i}.log`}`;
    zip.addReadStream(logStream(seed * 1000 + i, per, event ? 'event' : gcFile ? 'gc' : 'logrus', mix), name, { mtime });
  }
  zip.addBuffer(Buffer.from(JSON.stringify({ 'incomingconnections.ports': ['6516'], 'proxy.url': '' })), 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json', { mtime });
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject);
  });
}

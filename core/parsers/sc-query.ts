/**
 * `sc query <service>` / `sc queryex <service>` / `sc query state= all` (one or several services), and `sc qc`
 * blocks for START_TYPE. A missing service prints `[SC] EnumQueryServicesStatus:OpenService FAILED 1060:` without
 * its name: the name comes from the echoed `sc query NAME` command line when there is one.
 */
import { observe, serviceKey, type Observation, type ServiceFact, type ServiceState } from '../model/facts';
import { lineEvidence, lineRest, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';

/** SERVICE_STATUS.dwCurrentState, also the int PowerShell 5.1 emits for ServiceController.Status. */
const STATE_BY_CODE: Record<number, ServiceState> = {
  1: 'stopped', 2: 'start_pending', 3: 'stop_pending', 4: 'running', 5: 'continue_pending', 6: 'pause_pending', 7: 'paused',
};

export function serviceStateFromCode(code: number): ServiceState {
  return STATE_BY_CODE[code] ?? 'unknown';
}

/** `RUNNING`, `Running`, `StartPending`, `START_PENDING`, `start pending` -> ServiceState. */
export function serviceStateFromText(text: string): ServiceState {
  const t = text.trim().toLowerCase().replace(/[\s_-]+/g, '');
  if (/^\d+$/.test(t)) return serviceStateFromCode(Number(t));
  const byName: Record<string, ServiceState> = {
    running: 'running', stopped: 'stopped', startpending: 'start_pending', stoppending: 'stop_pending',
    continuepending: 'continue_pending', pausepending: 'pause_pending', paused: 'paused',
  };
  return byName[t] ?? 'unknown';
}

/** sc qc START_TYPE codes; the same numbers as ServiceStartMode. */
const START_BY_CODE: Record<number, string> = { 0: 'boot', 1: 'system', 2: 'automatic', 3: 'manual', 4: 'disabled' };

export function startTypeFromCode(code: number): string | undefined {
  return START_BY_CODE[code];
}

/** `Automatic`, `AUTO_START`, `DEMAND_START`, `Disabled`, `2` -> `automatic` / `manual` / `disabled` / ... */
export function startTypeFromText(text: string): string | undefined {
  const t = text.trim().toLowerCase().replace(/[\s_-]+/g, '');
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return startTypeFromCode(Number(t));
  const byName: Record<string, string> = {
    automatic: 'automatic', auto: 'automatic', autostart: 'automatic', manual: 'manual', demandstart: 'manual', demand: 'manual',
    disabled: 'disabled', boot: 'boot', bootstart: 'boot', system: 'system', systemstart: 'system',
    automaticdelayedstart: 'automatic', delayedauto: 'automatic',
  };
  return byName[t] ?? t;
}

// Only the label is matched by a regex; the value is the trimmed rest of the line (lineRest): the former
// `:\s*(\S.*?)\s*$` backtracked quadratically over a long run of spaces.
const SERVICE_NAME_RE = /^\s*SERVICE_NAME\s*:/;
const DISPLAY_NAME_RE = /^\s*DISPLAY_NAME\s*:/;

/** The value after `re` (a label ending in its colon) on `line`; `nonEmpty` refuses an empty one. */
function labelValue(re: RegExp, line: string, nonEmpty = false): string | undefined {
  const m = re.exec(line);
  const value = m ? lineRest(line.slice(m[0].length)) : undefined;
  return nonEmpty && value === '' ? undefined : value;
}
const STATE_RE = /^\s+STATE\s+:\s*(\d+)\s*(\S*)/;
const START_TYPE_RE = /^\s+START_TYPE\s+:\s*(\d+)/;
/** An echoed command line: `C:\> sc query himds`, `PS C:\> sc.exe queryex "himds"`. */
const COMMAND_RE = /(?:^|[>\s])sc(?:\.exe)?\s+(query|queryex|qc)\b((?:\s+\S+)*)/i;
const FAILED_RE = /^\s*\[SC\]\s*(\S+)\s+FAILED\s+(\d+)\s*:?/i;

/** First argument of an echoed sc command that names a service (not `state=`, `type=`, a `\\server`). */
function commandService(args: string): string | undefined {
  const parts = args.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!.replace(/^"(.*)"$/, '$1');
    if (/=$/.test(p)) { i++; continue; }
    if (/=/.test(p) || p.startsWith('\\\\')) continue;
    return p;
  }
  return undefined;
}

interface Block {
  name: string;
  nameLine: number;
  displayName?: string;
  state?: ServiceState;
  stateLine?: number;
  startType?: string;
}

export const scQueryParser: TextParser = {
  id: 'sc-query',
  label: 'sc query',
  detect(text) {
    // Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
    const hasName = /^[ \t]*SERVICE_NAME\s*:\s*\S/m.test(text);
    if (hasName && /^[ \t]+STATE\s+:\s*\d/m.test(text)) return 95;
    if (hasName && /^[ \t]+START_TYPE\s+:\s*\d/m.test(text)) return 70;
    if (/^[ \t]*\[SC\]\s*\S+\s+FAILED\s+1060\b/im.test(text)) return 90;
    if (/^[ \t]*\[SC\]\s*\S+\s+FAILED\s+\d+/im.test(text)) return 60;
    return hasName ? 50 : 0;
  },
  parse(text, input) {
    return parseScQuery(text, input);
  },
};

function parseScQuery(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const blocks: Block[] = [];
  const notFound: { name: string; line: number }[] = [];
  let pending: string | undefined;
  let current: Block | undefined;
  let sawState = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const name = labelValue(SERVICE_NAME_RE, line, true);
    const cmd = COMMAND_RE.exec(line);
    if (cmd && name === undefined) {
      pending = commandService(cmd[2] ?? '');
      current = undefined;
      continue;
    }
    if (name !== undefined) {
      current = { name, nameLine: i };
      blocks.push(current);
      pending = undefined;
      continue;
    }
    const failed = FAILED_RE.exec(line);
    if (failed) {
      current = undefined;
      const code = failed[2]!;
      if (code === '1060') {
        if (pending) notFound.push({ name: pending, line: i });
        else warnings.push(`line ${i + 1}: sc reported FAILED 1060 (service does not exist) but the output does not say which service; paste it with the "sc query NAME" command line`);
      } else {
        const reason = lines.slice(i + 1, i + 4).map((l) => l.trim()).find((l) => l !== '');
        warnings.push(`line ${i + 1}: sc ${failed[1]} FAILED ${code}${pending ? ` for ${pending}` : ''}${reason ? `: ${reason}` : ''}`);
      }
      pending = undefined;
      continue;
    }
    if (!current) continue;
    const display = labelValue(DISPLAY_NAME_RE, line);
    if (display !== undefined) {
      if (display) current.displayName = display;
      continue;
    }
    const state = STATE_RE.exec(line);
    if (state) {
      sawState = true;
      current.state = serviceStateFromCode(Number(state[1]));
      current.stateLine = i;
      if (current.state === 'unknown') warnings.push(`line ${i + 1}: unknown service state ${state[1]} ${state[2] ?? ''}`.trim());
      continue;
    }
    const start = START_TYPE_RE.exec(line);
    if (start) current.startType = startTypeFromCode(Number(start[1]));
  }

  if (blocks.length > 0 && !sawState && notFound.length === 0 && !blocks.some((b) => b.startType)) {
    throw new ParseError('expected "SERVICE_NAME: <name>" followed by an indented "STATE : <n> <STATE>" line (sc query output)');
  }

  // Merge blocks by service name: `sc query` gives STATE, `sc qc` START_TYPE and DISPLAY_NAME.
  const merged = new Map<string, Block>();
  for (const b of blocks) {
    const key = b.name.toLowerCase();
    const prev = merged.get(key);
    if (!prev) {
      merged.set(key, { ...b });
      continue;
    }
    if (b.state !== undefined) [prev.state, prev.stateLine] = [b.state, b.stateLine];
    if (b.displayName) prev.displayName = b.displayName;
    if (b.startType) prev.startType = b.startType;
  }

  const observations: Observation[] = [];
  for (const b of merged.values()) {
    if (b.state === undefined) {
      warnings.push(`${b.name}: no STATE line (sc qc shows configuration only); run sc query ${b.name} for its state`);
      continue;
    }
    const value: ServiceFact = { name: b.name, state: b.state };
    if (b.displayName) value.displayName = b.displayName;
    if (b.startType) value.startType = b.startType;
    const line = b.stateLine ?? b.nameLine;
    observations.push(observe(serviceKey(b.name), value, lineEvidence(input, line, lines[line]!)));
  }
  for (const nf of notFound) {
    if (merged.has(nf.name.toLowerCase())) continue;
    observations.push(observe(serviceKey(nf.name), { name: nf.name, state: 'not_found' }, lineEvidence(input, nf.line, lines[nf.line]!)));
  }
  if (observations.length === 0 && warnings.length === 0) {
    throw new ParseError('expected "SERVICE_NAME: <name>" blocks or an "[SC] ... FAILED 1060" error (sc query output)');
  }
  return { observations, warnings };
}

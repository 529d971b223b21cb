/**
 * One bundle (an `azcmagent logs` zip, an extracted folder, or a `wac-doctor collect` snapshot zip) -> one
 * Report with a TargetSummary. Entries are streamed one at a time; only those a parser claims are read (plus
 * small unclaimed text, offered to the pasted-output parsers by content). Every problem with the input is a
 * note or message naming it; the rest of the bundle is still analyzed.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { detectParser, evaluate, type AnalyzeOptions } from '../analyze';
import { observe, type Observation } from '../facts';
import { FactStore } from '../fact-store';
import { LogFacts, LogFileReader, type FileRole, type LogFileSummary } from '../logs';
import { parseAgentConfig, parseLocalConfig } from '../logs/agent-config';
import { parseExtensionReport, extensionFromReportPath } from '../logs/ext-report';
import { parseStatusFile } from '../logs/status-file';
import { ParseError, type InputRef, type TextParser } from '../parser';
import type { InputSummary, Report } from '../report';
import { capLines, cutLinesMessage, decodeText, InputError, internalErrorMessage } from '../text-input';
import { classifyEntry, layoutOf, SNAPSHOT_MANIFEST, type EntryClass } from './classify';
import { FolderSource } from './folder-source';
import { formatBytes, limitsWith, type BundleLimits } from './limits';
import { baseName } from './paths';
import { EntryTooLarge, readWhole, streamChunks } from './read-entry';
import { SourceDamaged, type BundleEntry, type BundleSource } from './source';
import { finishReport, type BundleFindings } from './summary';
import { isZipMagic, readMagic, ZipSource } from './zip-source';

export interface BundleProgress {
  /** The bundle path as given. */
  input: string;
  entries: number;
  /** Entries in the bundle, when the zip says. */
  entriesTotal?: number;
  /** Uncompressed bytes read so far. */
  bytes: number;
  done?: boolean;
}

export interface BundleOptions extends AnalyzeOptions {
  limits?: Partial<BundleLimits>;
  onProgress?: (p: BundleProgress) => void;
}

export const EXPECTED_INPUT = 'expected an azcmagent logs zip, an extracted bundle folder or a wac-doctor snapshot zip';

/** A report for an input that could not be used at all: one input in error, every rule skipped for lack of facts. */
export function errorReport(path: string, message: string, kind: 'bundle' | 'folder', options: AnalyzeOptions): Report {
  const inputs: InputSummary[] = [{ path, kind: null, status: 'error', facts: 0, messages: [message] }];
  const report = evaluate(new FactStore(), inputs, options, new Set(['bundle']));
  report.target = { kind, name: path, notes: [message] };
  return report;
}

const PROGRESS_BYTES = 1024 * 1024;
const MAX_MESSAGES = 20;
const MAX_FILES_LISTED = 500;
const MAX_EXAMPLES = 3;

/** Counts of entries set aside, with a few example names, for one note each. */
class Tally {
  private readonly counts = new Map<string, { n: number; examples: string[] }>();
  add(reason: string, name: string): void {
    const t = this.counts.get(reason) ?? { n: 0, examples: [] };
    t.n++;
    if (t.examples.length < MAX_EXAMPLES) t.examples.push(name);
    this.counts.set(reason, t);
  }
  notes(): string[] {
    return [...this.counts].map(([reason, t]) => `${reason}: ${t.n} (${t.n > t.examples.length ? 'e.g. ' : ''}${t.examples.join(', ')}).`);
  }
}

class BundleReader {
  readonly store = new FactStore();
  readonly logFacts = new LogFacts();
  readonly notes: string[] = [];
  readonly messages: string[] = [];
  readonly filesRead: string[] = [];
  readonly allPaths: string[] = [];
  readonly logPaths = new Set<string>();
  /** Extensions (`Publisher.Type`) the bundle has folders or files for -> the first entry showing it. */
  readonly extensions = new Map<string, string>();
  readonly tally = new Tally();
  snapshot?: Record<string, unknown>;
  facts = 0;
  entries = 0;
  bytes = 0;
  otherRead = 0;
  filesReadCount = 0;
  zipSlip = 0;
  firstTime?: string;
  lastTime?: string;
  private lastProgress = 0;
  private stopReading?: string;

  constructor(private readonly source: BundleSource, private readonly limits: BundleLimits, private readonly onProgress?: (p: BundleProgress) => void) {}

  async run(): Promise<void> {
    const iter = this.source.entries();
    try {
      let current = await iter.next();
      while (!current.done) {
        const entry = current.value;
        this.entries++;
        if (this.entries > this.limits.maxEntries) {
          this.notes.push(`Only the first ${this.limits.maxEntries} entries were looked at.`);
          break;
        }
        await this.entry(entry);
        this.progress(false);
        current = await iter.next();
      }
    } catch (err) {
      if (!(err instanceof SourceDamaged)) throw err;
      this.notes.push(`${err.message}; the entries before were analyzed.`);
      this.message(err.message);
    } finally {
      await iter.return(undefined).catch(() => undefined);
      this.source.close();
    }
    this.progress(true);
    this.addObservations(this.logFacts.observations());
    this.notes.push(...this.logFacts.notes);
    if (this.zipSlip > 0) {
      this.notes.push(`Entry names with ".." (a zip-slip pattern): ${this.zipSlip}. Nothing is extracted or written to disk, so they were read under their names without "..".`);
    }
    this.notes.push(...this.tally.notes());
    if (this.stopReading) this.notes.push(this.stopReading);
  }

  private progress(done: boolean): void {
    if (!this.onProgress) return;
    if (!done && this.bytes - this.lastProgress < PROGRESS_BYTES && this.entries % 500 !== 0) return;
    this.lastProgress = this.bytes;
    const p: BundleProgress = { input: this.source.name, entries: this.entries, bytes: this.bytes };
    if (this.source.entryCount !== undefined) p.entriesTotal = this.source.entryCount;
    if (done) p.done = true;
    this.onProgress(p);
  }

  private message(text: string): void {
    if (this.messages.length < MAX_MESSAGES) this.messages.push(`${this.source.name}: ${text}`);
  }

  private addObservations(obs: readonly Observation[]): void {
    // One at a time: spreading a very long list as arguments overflows the stack.
    for (const o of obs) this.store.add(o);
    this.facts += obs.length;
  }

  private fileRead(path: string): void {
    this.filesReadCount++;
    if (this.filesRead.length < MAX_FILES_LISTED) this.filesRead.push(path);
  }

  private async entry(entry: BundleEntry): Promise<void> {
    if (this.allPaths.length < this.limits.maxEntries) this.allPaths.push(entry.path);
    if (entry.escapes) this.zipSlip++;
    this.noteExtension(entry.path);
    switch (entry.type) {
      case 'directory': return;
      case 'symlink': return this.tally.add('Symbolic links, not followed', entry.rawName);
      case 'encrypted': return this.tally.add('Encrypted entries, not read', entry.rawName);
      case 'unsupported': return this.tally.add('Entries with an unsupported compression method or nesting, not read', entry.rawName);
      case 'file': break;
    }
    if (!entry.path) return;
    const cls = classifyEntry(entry.path);
    if (cls.kind === 'archive') return this.tally.add('Nested archives, not opened', entry.path);
    if (cls.kind === 'binary') return this.tally.add('Binary files (event logs, traces, executables), not read', entry.path);
    if (entry.size === 0 && cls.kind !== 'other') return this.tally.add('Empty files', entry.path);
    if (!this.admit(entry, cls)) return;
    switch (cls.kind) {
      case 'log': return this.readLog(entry, cls.role);
      case 'other': return this.readOther(entry);
      default: return this.readStructured(entry, cls);
    }
  }

  /** Size, ratio and total caps (zip bombs), checked before any byte is inflated. */
  private admit(entry: BundleEntry, cls: EntryClass): boolean {
    const l = this.limits;
    if (this.stopReading) {
      this.tally.add('Entries not read after the total size cap', entry.path);
      return false;
    }
    if (entry.size > l.maxEntryBytes) {
      this.tally.add(`Entries larger than ${formatBytes(l.maxEntryBytes)}, not read`, entry.path);
      return false;
    }
    if (entry.compressedSize !== undefined && entry.size > l.ratioMinBytes && entry.size > entry.compressedSize * l.maxRatio) {
      this.tally.add(`Entries that expand more than ${l.maxRatio} times (a zip-bomb pattern), not read`, entry.path);
      this.message(`${entry.path}: declared ${formatBytes(entry.size)} from ${formatBytes(entry.compressedSize)} compressed; not read (zip-bomb pattern)`);
      return false;
    }
    if (this.bytes + entry.size > l.maxTotalBytes) {
      this.stopReading = `Reading stopped at ${formatBytes(this.bytes)}: the bundle expands to more than ${formatBytes(l.maxTotalBytes)}.`;
      this.tally.add('Entries not read after the total size cap', entry.path);
      return false;
    }
    if (cls.kind === 'other') {
      if (entry.size > l.maxSmallTextBytes) {
        this.tally.add(`Unrecognized entries larger than ${formatBytes(l.maxSmallTextBytes)}, not read`, entry.path);
        return false;
      }
      if (this.otherRead >= l.maxOtherEntries) {
        this.tally.add(`Unrecognized entries past the first ${l.maxOtherEntries}, not read`, entry.path);
        return false;
      }
      this.otherRead++;
    } else if (cls.kind !== 'log' && entry.size > l.maxSmallTextBytes) {
      this.tally.add(`Configuration or status files larger than ${formatBytes(l.maxSmallTextBytes)}, not read`, entry.path);
      return false;
    }
    return true;
  }

  private async open(entry: BundleEntry): Promise<Readable | undefined> {
    try {
      return await entry.open();
    } catch (err) {
      this.tally.add('Damaged entries, not read', entry.path);
      this.message(`${entry.path}: could not be read (${(err as Error).message})`);
      return undefined;
    }
  }

  private async readLog(entry: BundleEntry, role: FileRole): Promise<void> {
    const stream = await this.open(entry);
    if (!stream) return;
    const reader = new LogFileReader({ path: entry.path, source: 'bundle', role }, this.logFacts, this.limits.maxLineChars);
    let damaged: string | undefined;
    try {
      await streamChunks(stream, Math.min(this.limits.maxEntryBytes, entry.size + 1), (buf) => {
        this.bytes += buf.length;
        reader.push(buf);
        if (this.bytes - this.lastProgress >= PROGRESS_BYTES) this.progress(false);
        return !reader.binary;
      });
    } catch (err) {
      damaged = err instanceof EntryTooLarge ? `larger than it declares (${err.message})` : (err as Error).message;
    }
    const summary = reader.end();
    if (damaged) {
      this.tally.add('Damaged logs, read up to the damage', entry.path);
      this.message(`${entry.path}: damaged data (${damaged}); the part before was analyzed`);
    }
    if (summary.binary) return this.tally.add('Logs holding binary data, not analyzed', entry.path);
    this.fileRead(entry.path);
    this.logPaths.add(entry.path);
    this.logSummary(entry.path, summary);
  }

  private logSummary(path: string, s: LogFileSummary): void {
    if (s.firstTime && (!this.firstTime || s.firstTime < this.firstTime)) this.firstTime = s.firstTime;
    if (s.lastTime && (!this.lastTime || s.lastTime > this.lastTime)) this.lastTime = s.lastTime;
    if (s.truncatedLines > 0) {
      this.notes.push(`${path}: ${s.truncatedLines} line${s.truncatedLines === 1 ? '' : 's'} longer than ${formatBytes(this.limits.maxLineChars)} cut there (first at line ${s.truncatedAt[0]}).`);
    }
  }

  private async readText(entry: BundleEntry, cap: number): Promise<string | undefined> {
    const stream = await this.open(entry);
    if (!stream) return undefined;
    let buf: Buffer;
    try {
      buf = await readWhole(stream, cap);
    } catch (err) {
      this.tally.add('Damaged entries, not read', entry.path);
      this.message(`${entry.path}: could not be read (${(err as Error).message})`);
      return undefined;
    }
    this.bytes += buf.length;
    try {
      return decodeText(buf, entry.path);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.tally.add('Binary entries, not analyzed', entry.path);
      return undefined;
    }
  }

  private async readStructured(entry: BundleEntry, cls: EntryClass): Promise<void> {
    const text = await this.readText(entry, this.limits.maxSmallTextBytes);
    if (text === undefined) return;
    this.fileRead(entry.path);
    const input: InputRef = { path: entry.path, source: 'bundle' };
    if (text.trim() === '') return this.tally.add('Empty files', entry.path);
    try {
      switch (cls.kind) {
        case 'status': {
          const r = parseStatusFile(text, input);
          if (!this.extensions.has(r.extension)) this.extensions.set(r.extension, entry.path);
          return this.addObservations(r.observations);
        }
        case 'report': {
          const r = parseExtensionReport(text, input);
          if (!this.extensions.has(r.extension)) this.extensions.set(r.extension, entry.path);
          return this.addObservations(r.observations);
        }
        case 'agentconfig': return this.addObservations(parseAgentConfig(text, input).observations);
        case 'localconfig': {
          const r = parseLocalConfig(text, input);
          for (const w of r.warnings ?? []) this.message(`${entry.path}: ${w}`);
          return this.addObservations(r.observations);
        }
        case 'manifest': {
          const data: unknown = JSON.parse(text);
          if (data && typeof data === 'object' && !Array.isArray(data)) this.snapshot = data as Record<string, unknown>;
          else throw new ParseError(`is not a JSON object; expected the ${SNAPSHOT_MANIFEST} manifest`);
          return;
        }
        default: return;
      }
    } catch (err) {
      // An unexpected failure is this entry's message, like bad content: the rest of the bundle is still read.
      this.message(err instanceof ParseError || err instanceof SyntaxError ? `${entry.path}: ${err.message}` : internalErrorMessage(entry.path, err));
    }
  }

  /** Unclaimed small text: a pasted-output parser by content (snapshots), else the log grammars and signatures. */
  private async readOther(entry: BundleEntry): Promise<void> {
    const whole = await this.readText(entry, this.limits.maxSmallTextBytes);
    if (whole === undefined || whole.trim() === '') return;
    // Lines cut as the log reader cuts them, before any pasted-output parser sees the text.
    const { text, cut } = capLines(whole, this.limits.maxLineChars);
    if (cut > 0) this.message(cutLinesMessage(entry.path, cut, this.limits.maxLineChars));
    let parser: TextParser | undefined;
    try {
      parser = detectParser(text);
      if (parser) {
        const result = parser.parse(text, { path: entry.path, source: 'bundle' });
        this.addObservations(result.observations);
        for (const w of result.warnings ?? []) this.message(`${entry.path}: ${w}`);
        this.fileRead(entry.path);
        return;
      }
    } catch (err) {
      if (!(err instanceof ParseError) || !parser) return this.message(internalErrorMessage(entry.path, err));
      this.message(`${entry.path}: looks like ${parser.label} but ${err.message}`);
    }
    const before = this.logFacts.eventCount;
    const reader = new LogFileReader({ path: entry.path, source: 'bundle', role: classifyEntry(entry.path).role }, this.logFacts, this.limits.maxLineChars);
    reader.pushText(text);
    const summary = reader.end();
    if (this.logFacts.eventCount > before) {
      this.fileRead(entry.path);
      this.logPaths.add(entry.path);
      this.logSummary(entry.path, summary);
    }
  }

  /** `Publisher.Type` of extensions the bundle has folders for (plugins, waagent, extension logs). */
  private noteExtension(path: string): void {
    const m = /(?:^|\/)(?:plugins|extension_logs)\/([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+)\//i.exec(path)
      ?? /(?:^|\/)waagent\/([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+)-\d+(?:\.\d+)+\//i.exec(path);
    const name = m?.[1] ?? extensionFromReportPath(path);
    if (name && !this.extensions.has(name) && this.extensions.size < 100) this.extensions.set(name, path);
  }
}

async function openSource(path: string, limits: BundleLimits): Promise<BundleSource> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or folder; ${EXPECTED_INPUT}`);
  }
  if (info.isDirectory()) return new FolderSource(path, limits.maxDepth);
  if (!info.isFile()) throw new InputError(`${path}: not a regular file; ${EXPECTED_INPUT}`);
  let head: Buffer;
  try {
    head = await readMagic(path);
  } catch (err) {
    throw new InputError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${EXPECTED_INPUT}`);
  }
  if (!isZipMagic(head)) {
    const what = head.length === 0 ? 'an empty file' : 'not a zip file';
    throw new InputError(`${path}: ${what}; ${EXPECTED_INPUT}`);
  }
  return ZipSource.open(path);
}

/** Analyzes one bundle (zip or folder). Never throws for bad input: an unusable one is a Report with an input error. */
export async function analyzeBundle(path: string, options: BundleOptions): Promise<Report> {
  const limits = limitsWith(options.limits);
  let source: BundleSource;
  try {
    source = await openSource(path, limits);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return errorReport(path, err.message, 'bundle', options);
  }
  const reader = new BundleReader(source, limits, options.onProgress);
  try {
    await reader.run();
  } catch (err) {
    // Not expected (the fuzz test looks for it), but one bad bundle must not take the others down.
    const why = err instanceof Error ? err.message : String(err);
    return errorReport(path, `${path}: internal error while reading it (${why}); please report this with the input`, source.kind, options);
  }
  const extensions = [...reader.extensions.keys()].sort();
  if (extensions.length > 0) {
    const first = reader.extensions.get(extensions[0]!)!;
    reader.store.add(observe('extension.installed', extensions, { source: 'bundle', path: first, excerpt: `extension folders: ${extensions.join(', ')}` }));
  }
  const layout = layoutOf(reader.allPaths);
  const findings: BundleFindings = {
    kind: reader.snapshot ? 'snapshot' : source.kind,
    name: path,
    layout,
    filesRead: reader.filesRead,
    filesReadCount: reader.filesReadCount,
    allPaths: reader.allPaths,
    logPaths: reader.logPaths,
    notes: reader.notes,
    messages: reader.messages,
    facts: reader.facts,
    entries: reader.entries,
    zipName: baseName(path),
  };
  if (reader.snapshot) findings.snapshot = reader.snapshot;
  if (reader.firstTime && reader.lastTime) findings.timeRange = { from: reader.firstTime, to: reader.lastTime };
  return finishReport(reader.store, findings, options);
}

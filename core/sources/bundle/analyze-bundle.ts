/**
 * One bundle (an `azcmagent logs` zip, an extracted folder, or a `wac-doctor collect` snapshot zip) -> one
 * Report with a TargetSummary. Entries are streamed one at a time; only those a parser claims are read (plus
 * small unclaimed text, offered to the pasted-output parsers by content). Every problem with the input is a
 * note or message naming it; the rest of the bundle is still analyzed.
 */
import { stat } from 'node:fs/promises';
import { evaluate, type AnalyzeOptions } from '../../engine/pipeline';
import { inputError, parseInput } from '../../engine/ingest';
import { detectParser } from '../../parsers';
import { observe, type Observation } from '../../model/facts';
import { FactStore } from '../../engine/fact-store';
import { LogFacts, LogFileReader, PlanMemo, type FileRole, type LogFileSummary } from '../../parsers/logs';
import { extensionFromReportPath } from '../../parsers/extension-report';
import { FILE_PARSERS } from '../../parsers/files';
import { ParseError, type InputRef } from '../../parsers/parser';
import type { InputSummary, Report } from '../../model/report';
import { capLines, cutLinesMessage, decodeText, InputError, internalErrorMessage } from '../../text/text-input';
import { classifyEntry, layoutOf, SNAPSHOT_MANIFEST, type EntryClass } from './classify';
import { FolderSource } from './folder-source';
import { formatBytes, limitsWith, type BundleLimits } from './limits';
import { baseName } from './paths';
import { readWhole } from './read-entry';
import { readLog, type LogRead } from './read-log';
import { LogWorkers } from './log-workers';
import { EntryRefused, EntryUnreadable, SourceDamaged, type BundleEntry, type BundleSource, type OpenedEntry } from './source';
import { SnapshotDocSource } from './snapshot-doc';
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
  /** Entries whose data was opened (the rest were judged by name and size alone). */
  opened: number;
  done?: boolean;
}

export interface BundleOptions extends AnalyzeOptions {
  limits?: Partial<BundleLimits>;
  onProgress?: (p: BundleProgress) => void;
  /** Milliseconds, for the time limit (tests pass a fake clock; only in this thread). */
  clock?: () => number;
  /**
   * Called with the bundle's facts once it is read, before the rules run; the observations it returns join them
   * (a fleet export's facts for the same machine: core/fleet/merge). Only in this thread.
   */
  extraFacts?: (store: FactStore) => Observation[];
  /**
   * `on`: a log worker thread beside this one reads some of a zip's log entries (log-workers.ts); reports are the
   * same. Off by default: on the 2-vCPU machines measured it did not pay (`npm run bench`, bundle part, "log
   * worker" line: the two threads' string work contends, and the second heap costs ~70 MB of RSS).
   */
  logWorkers?: 'on' | 'off';
}

export const EXPECTED_INPUT = 'expected an azcmagent logs zip, an extracted bundle folder or a wac-doctor snapshot zip';

/** A report for an input that could not be used at all: one input in error, every rule skipped for lack of facts. */
export function errorReport(path: string, message: string, kind: 'bundle' | 'folder', options: AnalyzeOptions): Report {
  const inputs: InputSummary[] = [inputError(path, message)];
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
  count(reason: string): number {
    return this.counts.get(reason)?.n ?? 0;
  }
  notes(): string[] {
    return [...this.counts].map(([reason, t]) => `${reason}: ${t.n} (${t.n > t.examples.length ? 'e.g. ' : ''}${t.examples.join(', ')}).`);
  }
}

const DUPLICATE = 'Entries with the name of an earlier entry (duplicates), not read: the first one is the one analyzed';
const NAME_MISMATCH = 'Entries whose local header names another file (central/local name mismatch), read under the central directory name';
const LARGER = 'Entries larger than declared, cut at their declared size';
const SMALLER = 'Entries smaller than declared (truncated or damaged), read as far as they go';
const UNREADABLE = 'Files or folders that could not be read';
const SPECIAL = 'Special files (FIFO, socket or device), not read';
const AFTER_TOTAL = 'Entries not read after the total size cap';
const AFTER_TIME = 'Entries not read after the time limit';

class BundleReader {
  readonly store = new FactStore();
  readonly logFacts = new LogFacts();
  /** What records say, shared by this thread's log files (plan-memo.ts). */
  private readonly plans = new PlanMemo();
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
  /** Declared bytes of the entries opened: what the bundle may inflate (sizes are enforced), against maxTotalBytes. */
  admitted = 0;
  otherRead = 0;
  filesReadCount = 0;
  zipSlip = 0;
  opened = 0;
  firstTime?: string;
  lastTime?: string;
  /** The listing stopped at maxEntries with more to come. */
  listingCut = false;
  /** The listing itself failed (a damaged central directory, a folder that cannot be listed). */
  listingError?: string;
  /** Tally reasons that are refusals: they explain a bundle with nothing usable. */
  readonly refusals = new Set<string>();
  private lastProgress = 0;
  private stopReading?: { note: string; tally: string };
  private readonly seen = new Set<string>();
  private readonly started: number;
  /** Entries whose outcome is still to be taken in, in entry order (log entries read by the worker, and after). */
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private broken?: { err: unknown };

  constructor(
    private readonly source: BundleSource,
    private readonly limits: BundleLimits,
    private readonly onProgress?: (p: BundleProgress) => void,
    private readonly clock: () => number = Date.now,
    private readonly workers?: LogWorkers,
  ) {
    this.started = clock();
  }

  /**
   * Takes an entry's outcome in after every earlier entry's: `work` resolves to what taking it in does (never
   * rejects). With nothing pending, it is taken in now.
   */
  private later(work: Promise<() => void>): void {
    this.pending++;
    this.chain = this.chain.then(() => work).then((apply) => {
      this.pending--;
      apply();
    }).catch((err: unknown) => {
      // A bug while taking an outcome in: thrown from settled(), as it would have been from entry().
      this.broken ??= { err };
    });
  }

  /** Once every entry so far is taken in. */
  private async settled(): Promise<void> {
    await this.chain;
    if (this.broken) throw this.broken.err;
  }

  async run(): Promise<void> {
    const iter = this.source.entries();
    try {
      let current = await iter.next();
      while (!current.done) {
        if (this.entries >= this.limits.maxEntries) {
          this.listingCut = true;
          const total = this.source.entryCount;
          await this.settled();
          this.notes.push(total !== undefined && total > this.entries
            ? `Only the first ${this.entries} of ${total} entries were looked at.`
            : `Only the first ${this.entries} entries were looked at; there are more.`);
          break;
        }
        this.entries++;
        // An entry with effects of its own waits for the earlier entries' outcomes: they are taken in, in order.
        if (this.pending > 0 && !this.logAdmitted(current.value)) await this.settled();
        await this.entry(current.value);
        this.progress(false);
        current = await iter.next();
      }
      await this.settled();
    } catch (err) {
      if (!(err instanceof SourceDamaged)) throw err;
      await this.settled();
      this.notes.push(`${err.message}; the entries before were analyzed.`);
      this.message(err.message);
      this.listingError = err.message;
    } finally {
      this.workers?.close();
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
    if (this.stopReading) this.notes.push(this.stopReading.note);
  }

  /** An entry set aside for a reason that, if nothing else is usable, explains why (exit 2 says so). */
  private refuse(reason: string, name: string): void {
    this.tally.add(reason, name);
    this.refusals.add(reason);
  }

  /** Short lines (`reason: n`) for the refusals, for the "nothing usable" message. */
  refusalSummary(): string[] {
    return [...this.refusals].map((r) => `${r}: ${this.tally.count(r)}`);
  }

  /** True once the time limit is spent; the first time, reading stops with a note saying so. */
  private overTime(): boolean {
    if (this.stopReading) return this.stopReading.tally === AFTER_TIME;
    const spent = this.clock() - this.started;
    if (spent <= this.limits.maxMillis) return false;
    this.stopReading = {
      note: `Reading stopped after ${Math.round(spent / 1000)} s at ${formatBytes(this.bytes)}: the time limit per bundle is ${Math.round(this.limits.maxMillis / 1000)} s.`,
      tally: AFTER_TIME,
    };
    this.refusals.add(AFTER_TIME);
    return true;
  }

  private progress(done: boolean): void {
    if (!this.onProgress) return;
    if (!done && this.bytes - this.lastProgress < PROGRESS_BYTES && this.entries % 500 !== 0) return;
    this.lastProgress = this.bytes;
    const p: BundleProgress = { input: this.source.name, entries: this.entries, bytes: this.bytes, opened: this.opened };
    if (this.source.entryCount !== undefined) p.entriesTotal = this.source.entryCount;
    if (done) p.done = true;
    this.onProgress(p);
  }

  private message(text: string): void {
    if (this.messages.length < MAX_MESSAGES) this.messages.push(`${this.source.name}: ${text}`);
  }

  private addObservations(obs: readonly Observation[]): void {
    this.store.addAll(obs);
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
      case 'encrypted': return this.refuse('Encrypted entries, not read', entry.rawName);
      case 'unsupported': return this.refuse('Entries with an unsupported compression method or nesting, not read', entry.rawName);
      case 'special': return this.refuse(SPECIAL, entry.rawName);
      case 'unreadable':
        this.message(`${entry.path}: ${entry.reason ?? 'could not be read'}`);
        return this.refuse(UNREADABLE, `${entry.path} (${entry.reason ?? 'unreadable'})`);
      case 'file': break;
    }
    if (!entry.path) return;
    // One entry per name (case-insensitively, as Windows extracts them): the first. The document provider picks
    // the same one (lookup.ts), so evidence and the editor show the same bytes.
    const key = entry.path.toLowerCase();
    if (this.seen.has(key)) return this.tally.add(DUPLICATE, entry.path);
    this.seen.add(key);
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
    if (this.stopReading || this.overTime()) {
      this.refuse(this.stopReading!.tally, entry.path);
      return false;
    }
    if (entry.size > l.maxEntryBytes) {
      this.refuse(`Entries larger than ${formatBytes(l.maxEntryBytes)}, not read`, entry.path);
      return false;
    }
    if (entry.compressedSize !== undefined && entry.size >= l.ratioMinBytes && entry.size > entry.compressedSize * l.maxRatio) {
      this.refuse(`Entries that expand more than ${l.maxRatio} times (a zip-bomb pattern), not read`, entry.path);
      this.message(`${entry.path}: declared ${formatBytes(entry.size)} from ${formatBytes(entry.compressedSize)} compressed; not read (zip-bomb pattern)`);
      return false;
    }
    // Declared sizes are enforced (no entry yields more), so this bounds the bytes inflated per bundle.
    if (this.admitted + entry.size > l.maxTotalBytes) {
      this.stopReading = {
        note: `Reading stopped at ${formatBytes(this.admitted)}: the bundle expands to more than ${formatBytes(l.maxTotalBytes)}, the limit on bytes inflated per bundle.`,
        tally: AFTER_TOTAL,
      };
      this.refuse(AFTER_TOTAL, entry.path);
      return false;
    }
    if (cls.kind === 'other') {
      if (entry.size > l.maxSmallTextBytes) {
        this.refuse(`Unrecognized entries larger than ${formatBytes(l.maxSmallTextBytes)}, not read`, entry.path);
        return false;
      }
      if (this.otherRead >= l.maxOtherEntries) {
        this.tally.add(`Unrecognized entries past the first ${l.maxOtherEntries}, not read`, entry.path);
        return false;
      }
      this.otherRead++;
    } else if (cls.kind !== 'log' && entry.size > l.maxSmallTextBytes) {
      this.refuse(`Configuration or status files larger than ${formatBytes(l.maxSmallTextBytes)}, not read`, entry.path);
      return false;
    }
    return true;
  }

  private async open(entry: BundleEntry): Promise<OpenedEntry | undefined> {
    const { value, effects } = await this.opening(entry, () => entry.open());
    effects();
    return value;
  }

  /**
   * Opens (or locates) an entry; what that says (a refusal, a name mismatch) is returned as `effects`, to be taken in
   * when the entry's turn comes. Counts it as opened (the caps read that at once).
   */
  private async opening<T extends { localName?: string }>(entry: BundleEntry, how: () => Promise<T>): Promise<{ value?: T; effects: () => void }> {
    let value: T;
    try {
      value = await how();
    } catch (err) {
      return {
        effects: () => {
          if (err instanceof EntryRefused) {
            this.refuse(err.reason, entry.path);
            this.message(err.message);
          } else if (err instanceof EntryUnreadable) {
            this.refuse(UNREADABLE, `${entry.path} (${err.message})`);
            this.message(`${entry.path}: ${err.message}`);
          } else {
            this.refuse('Damaged entries, not read', entry.path);
            this.message(`${entry.path}: could not be read (${(err as Error).message})`);
          }
        },
      };
    }
    this.opened++;
    this.admitted += entry.size;
    const localName = value.localName;
    const effects = localName === undefined ? () => undefined : () => {
      this.tally.add(NAME_MISMATCH, `${entry.path} (local header: ${localName})`);
      this.message(`${entry.path}: the local header names it ${localName}; read under the central directory name`);
    };
    return { value, effects };
  }

  /**
   * Whether this entry goes to the log worker: a zip log entry big enough, which the caps admit (so that nothing
   * is said of it before its data is read), while the worker has room. Decided before the entry's turn: pure.
   */
  private toWorker(entry: BundleEntry): boolean {
    // Asked from readLog, after entry() took the entry's name as seen.
    return this.workers?.ready === true && entry.locate !== undefined && this.logAdmitted(entry, false);
  }

  /**
   * Whether the entry is a log that entry() will read without saying anything of it first (not a duplicate, not
   * empty, within the caps): such an entry can be read while earlier ones are still to be taken in.
   */
  private logAdmitted(entry: BundleEntry, unseen = true): boolean {
    if (entry.type !== 'file' || !entry.path || entry.size === 0 || (unseen && this.seen.has(entry.path.toLowerCase()))) return false;
    const cls = classifyEntry(entry.path);
    if (cls.kind !== 'log') return false;
    const l = this.limits;
    if (this.stopReading || this.clock() - this.started > l.maxMillis || entry.size > l.maxEntryBytes || this.admitted + entry.size > l.maxTotalBytes) return false;
    return !(entry.compressedSize !== undefined && entry.size >= l.ratioMinBytes && entry.size > entry.compressedSize * l.maxRatio);
  }

  /** After an entry's data ended: a size other than declared is said (the data was cut at the declared size). */
  private checkSize(entry: BundleEntry, opened: OpenedEntry): void {
    this.sizeProblem(entry.path, opened.sizeProblem());
  }

  private sizeProblem(path: string, problem: string | undefined): void {
    if (!problem) return;
    const larger = problem.startsWith('larger');
    this.tally.add(larger ? LARGER : SMALLER, path);
    if (larger) this.refusals.add(LARGER);
    this.message(`${path}: ${problem}`);
  }

  private async readLog(entry: BundleEntry, role: FileRole): Promise<void> {
    if (this.toWorker(entry)) return this.readLogInWorker(entry, role);
    const work = async (): Promise<() => void> => {
      const { value: opened, effects } = await this.opening(entry, () => entry.open());
      if (!opened) return effects;
      const read = await readLog(opened.stream, opened.sizeProblem, {
        path: entry.path, role, file: this.entries, maxLineChars: this.limits.maxLineChars, cap: this.cap(entry), plans: this.plans,
        overTime: () => this.overTime(),
        onBytes: (n) => {
          this.bytes += n;
          if (this.bytes - this.lastProgress >= PROGRESS_BYTES) this.progress(false);
        },
      });
      return () => {
        effects();
        this.finishLog(entry.path, read);
      };
    };
    // Read here and now either way (the next entry waits); taken in after the entries the worker still holds.
    const apply = await work();
    if (this.pending === 0) apply();
    else this.later(Promise.resolve(apply));
  }

  private cap(entry: BundleEntry): number {
    return Math.min(this.limits.maxEntryBytes, entry.size + 1);
  }

  /** Locates the entry here (claiming its bytes) and has the worker read it; taken in at its turn. */
  private async readLogInWorker(entry: BundleEntry, role: FileRole): Promise<void> {
    const { value: at, effects } = await this.opening(entry, () => entry.locate!());
    if (!at) return this.later(Promise.resolve(effects));
    const path = entry.path;
    const remaining = this.limits.maxMillis - (this.clock() - this.started);
    const task = {
      zipPath: this.source.name, at: { dataStart: at.dataStart, compressedSize: at.compressedSize, method: at.method, declared: at.declared },
      path, role, file: this.entries, maxLineChars: this.limits.maxLineChars, cap: this.cap(entry), deadline: Date.now() + remaining,
    };
    this.later(this.workers!.submit(task).then(
      (r) => () => {
        effects();
        this.bytes += r.bytes;
        if (r.timedOut) this.overTime();
        const read: LogRead = { summary: r.summary, facts: LogFacts.fromState(r.state), timedOut: r.timedOut, bytes: r.bytes };
        if (r.damaged !== undefined) read.damaged = r.damaged;
        if (r.sizeProblem !== undefined) read.sizeProblem = r.sizeProblem;
        this.finishLog(path, read);
        this.progress(false);
      },
      (err: Error) => () => {
        effects();
        this.refuse('Damaged entries, not read', path);
        this.message(`${path}: could not be read (${err.message})`);
      },
    ));
  }

  /** What a log entry read says, taken into the bundle (in entry order, wherever the entry was read). */
  private finishLog(path: string, read: LogRead): void {
    const { summary } = read;
    if (read.damaged !== undefined) {
      this.tally.add('Damaged logs, read up to the damage', path);
      this.message(`${path}: damaged data (${read.damaged}); the part before was analyzed`);
    } else if (read.timedOut) {
      this.message(`${path}: cut by the time limit per bundle; the part before was analyzed`);
    } else {
      this.sizeProblem(path, read.sizeProblem);
    }
    // What a file said before it turned out binary counts, as it did when files shared one LogFacts.
    this.logFacts.absorb(read.facts);
    if (summary.binary) return this.tally.add('Logs holding binary data, not analyzed', path);
    this.fileRead(path);
    this.logPaths.add(path);
    this.logSummary(path, summary);
  }

  private logSummary(path: string, s: LogFileSummary): void {
    if (s.firstTime && (!this.firstTime || s.firstTime < this.firstTime)) this.firstTime = s.firstTime;
    if (s.lastTime && (!this.lastTime || s.lastTime > this.lastTime)) this.lastTime = s.lastTime;
    if (s.truncatedLines > 0) {
      this.notes.push(`${path}: ${s.truncatedLines} line${s.truncatedLines === 1 ? '' : 's'} longer than ${formatBytes(this.limits.maxLineChars)} cut there (first at line ${s.truncatedAt[0]}).`);
    }
  }

  private async readText(entry: BundleEntry, cap: number): Promise<string | undefined> {
    const opened = await this.open(entry);
    if (!opened) return undefined;
    let buf: Buffer;
    try {
      buf = await readWhole(opened.stream, cap);
    } catch (err) {
      this.refuse('Damaged entries, not read', entry.path);
      this.message(`${entry.path}: could not be read (${(err as Error).message})`);
      return undefined;
    }
    this.bytes += buf.length;
    this.checkSize(entry, opened);
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
      const parser = cls.spec?.parser;
      if (parser === 'snapshot-manifest') {
        const data: unknown = JSON.parse(text);
        if (data && typeof data === 'object' && !Array.isArray(data)) this.snapshot = data as Record<string, unknown>;
        else throw new ParseError(`is not a JSON object; expected the ${SNAPSHOT_MANIFEST} manifest`);
        return;
      }
      if (!parser) return;
      const r = FILE_PARSERS[parser](text, input);
      if (r.extension && !this.extensions.has(r.extension)) this.extensions.set(r.extension, entry.path);
      for (const w of r.warnings ?? []) this.message(`${entry.path}: ${w}`);
      this.addObservations(r.observations);
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
    try {
      const parser = detectParser(text);
      // The pipeline's ingest, as for a pasted file or a live command's output (a snapshot entry is the latter).
      const summary = parser && parseInput(this.store, parser, entry.path, text, 'bundle');
      if (summary) {
        this.facts += summary.facts;
        for (const m of summary.messages) this.message(m);
        if (summary.status === 'parsed') return this.fileRead(entry.path);
      }
    } catch (err) {
      return this.message(internalErrorMessage(entry.path, err));
    }
    const facts = new LogFacts(this.entries);
    const reader = new LogFileReader({ path: entry.path, source: 'bundle', role: classifyEntry(entry.path).role, plans: this.plans }, facts, this.limits.maxLineChars);
    reader.pushText(text);
    const summary = reader.end();
    if (facts.eventCount > 0) {
      this.logFacts.absorb(facts);
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
    // The -AsJson document (bare or in run-command JSON), by content; a malformed one throws its own InputError.
    const doc = await SnapshotDocSource.open(path);
    if (doc) return doc;
    const what = head.length === 0 ? 'an empty file' : 'not a zip archive';
    throw new InputError(`${path}: ${what}; ${EXPECTED_INPUT}`);
  }
  return ZipSource.open(path);
}

/** The log worker for this bundle, when its options and size call for one (BundleOptions.logWorkers). */
function logWorkersFor(source: BundleSource, options: BundleOptions): LogWorkers | undefined {
  if (options.logWorkers !== 'on' || !(source instanceof ZipSource) || !LogWorkers.available()) return undefined;
  return new LogWorkers();
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
  const workers = logWorkersFor(source, options);
  const reader = new BundleReader(source, limits, options.onProgress, options.clock, workers);
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
  if (options.extraFacts) reader.store.addAll(options.extraFacts(reader.store));
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
    listingCut: reader.listingCut,
    refusals: reader.refusalSummary(),
    zipName: baseName(path),
  };
  if (source.entryCount !== undefined) findings.entriesTotal = source.entryCount;
  if (reader.listingError !== undefined) findings.listingError = reader.listingError;
  if (reader.snapshot) findings.snapshot = reader.snapshot;
  if (reader.firstTime && reader.lastTime) findings.timeRange = { from: reader.firstTime, to: reader.lastTime };
  return finishReport(reader.store, findings, options);
}

/**
 * Byte keys: the plans of agent (logrus text) and GuestConfig records found by their bytes, in WebAssembly
 * (wasm/byte-keys.ts), before the reading key is made (GuestConfig's key: its level word and the text after its head). On a noisy agent log the reading key (a tokenizer in JavaScript, about 1 us a
 * record) and its Map lookup (a hash of a fresh slice) were a third of the time; the module hashes and compares the
 * record's bytes at several times that speed.
 *
 * A record of the usual shape (`time="<20 characters>" <middle>< Name=value>*`, printable ASCII, the trailing pairs
 * bare and named as VOLATILE_FIELDS) is keyed by its middle. A middle is remembered with the plan that the reading-key
 * memo gave the record (the scanner's call, after logrus's middleIsWholePairs found that the middle's pairs end where
 * it ends); any later record with the same middle reads alike (only its time and trailing volatile pairs differ, and
 * the tokenizer reads the middle's pairs the same in both: see middleIsWholePairs), so the plan is its plan.
 */
import { BYTE_KEYS_WASM } from './byte-keys.wasm';
import { VOLATILE_FIELDS } from './record';

/** The part of the WebAssembly API used here (the project's lib is ES2022, without its types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface Exports {
  memory: { buffer: ArrayBuffer };
  namesAt(): number;
  setNames(length: number): void;
  inputAt(bytes: number): number;
  clear(): void;
  lookup(start: number, end: number): number;
  lookupGc(start: number, end: number): number;
  middleEnd(): number;
  remember(id: number): number;
  rememberBlanked(id: number): number;
  hashAt(start: number, end: number): number;
  setCapacity(n: number): void;
  setInput(length: number): void;
  setQuiet(id: number, kind: number): void;
  literalsAt(kind: number): number;
  setLiterals(kind: number): number;
  scanRecords(kind: number, from: number, to: number, line: number): number;
  outAt(): number;
}

/**
 * What a plan says when it says nothing, for scanRecords to count such records instead of writing them out: 1 nothing
 * at all (the reading memo's SAYS_NOTHING), 2 nothing but it counts as a plan (no steps), 0 something.
 */
export type QuietKind = 0 | 1 | 2;

/** Words of a scanRecords header and entry (wasm/byte-keys.ts ENTRY_WORDS), and what each word holds. */
export const ENTRY_WORDS = 10;
export const HEAD = { entries: 0, next: 1, line: 2, quietA: 3, quietB: 4, quietLast: 5, sparse: 6 } as const;
export const ENTRY = { start: 0, end: 1, rawEnd: 2, line: 3, breaks: 4, id: 5, quietA: 6, quietB: 7, quietLast: 8 } as const;

const KIND = { logrus: 0, gc: 1 } as const;

/** Where a middle starts in an agent record: after `time="…" `. */
export const MIDDLE_START = 28;

/** How a grammar's records take byte keys (Grammar.byteShape). */
export interface ByteShape {
  /** The module's reading of the records: agent text (`time="…" `, keyed by the middle) or GuestConfig's head. */
  readonly lookup: 'logrus' | 'gc';
  /** The record's time as the grammar's readingKey gives it; undefined: the record takes the reading key. */
  time(raw: string): string | undefined;
  /** time() of the record starting at `start` of `text` (a record the module found of the shape), read in place. */
  timeAt(text: string, start: number): string | undefined;
  /** Whether the last lookup's key, ending at `keyEnd` of `raw`, may be remembered with the plan found for `raw`. */
  mayRemember(raw: string, keyEnd: number): boolean;
}

/** The module's bounds (wasm/byte-keys.ts): entries per scanRecords call, bytes of literals per kind. */
const OUT_ENTRIES = 512;
const LITERAL_BYTES = 2048;

/** Longest text loaded (characters): the blocks of a log are 64 KiB pieces, and their first record's continuation. */
export const MAX_LOAD = 512 * 1024;

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi ? new wasmApi.Module(Buffer.from(BYTE_KEYS_WASM, 'base64')) : null;
    } catch {
      compiled = null; // no WebAssembly here: the reading keys alone
    }
  }
  return compiled;
}

/** `P`: what a key is remembered with (the interpreter's plans). */
export class ByteKeys<P = unknown> {
  private mem: Buffer;
  private input = 0;
  private capacity = 0;
  /** Plans by the id the table returns. */
  private readonly plans: P[] = [];
  /** Per id: the socket addresses of the record its plan was decided for, when it is replayed for others (rememberAddresses). */
  private readonly ips: Array<readonly string[] | undefined> = [];
  /** scanRecords' header and entries, in the module's memory (made again when it grows). */
  private view!: Int32Array;
  /** Per kind: whether its literals were given (true), refused (false), or not yet (undefined). */
  private readonly literalsSet: Array<boolean | undefined> = [];

  // A method's type (bivariant in P), so that a ByteKeys<Plan> is still a ByteKeys<unknown> to code that only looks up.
  private constructor(private readonly ex: Exports, private readonly quiet: { of(plan: P): QuietKind }) {
    this.reserve(64 * 1024);
    this.mem = Buffer.from(ex.memory.buffer);
    const at = ex.namesAt();
    let n = 0;
    // Names with a space can never be one bare trailing pair: they stay in the middle (finer keys, still sound).
    for (const name of VOLATILE_FIELDS) {
      if (name.includes(' ')) continue;
      this.mem[at + n] = name.length;
      n += 1 + this.mem.write(name, at + n + 1, 'latin1');
    }
    ex.setNames(n);
  }

  /**
   * A new table, or undefined where WebAssembly is not available. `capacity`: keys kept before it is emptied (4,096
   * at most and by default; tests fill it with fewer).
   */
  static create<P>(quietOf: (plan: P) => QuietKind = () => 0, capacity?: number): ByteKeys<P> | undefined {
    const m = module();
    if (!m || !wasmApi) return undefined;
    const keys = new ByteKeys<P>(new wasmApi.Instance(m, {}).exports as Exports, { of: quietOf });
    if (capacity !== undefined) keys.ex.setCapacity(capacity);
    return keys;
  }

  private reserve(bytes: number): boolean {
    if (bytes <= this.capacity) return true;
    const at = this.ex.inputAt(bytes);
    if (at === 0) return false;
    this.input = at;
    this.capacity = bytes;
    this.mem = Buffer.from(this.ex.memory.buffer);
    this.view = new Int32Array(this.ex.memory.buffer, this.ex.outAt(), (OUT_ENTRIES + 1) * ENTRY_WORDS);
    return true;
  }

  /**
   * Copies `s` into the module's memory; lookups then take its records' bounds. Only ASCII text is loaded (its
   * characters and bytes have the same offsets): otherwise false, and its records take the reading keys.
   */
  load(s: string): boolean {
    // Three bytes a character at most: a write that fits says by its length whether every character was one byte.
    // A block longer than MAX_LOAD (a record that ran on for megabytes) is left to the reading keys: the module's
    // memory never shrinks.
    if (!(s.length <= MAX_LOAD && this.reserve(3 * s.length) && this.mem.write(s, this.input, this.capacity, 'utf8') === s.length)) return false;
    this.ex.setInput(s.length);
    return true;
  }

  /**
   * Gives the module the candidate literals of records of `shape` (what the grammar's candidates regex is a union of:
   * literals.ts), once; false when they cannot be used (then scan() is not to be called for that shape).
   */
  prepare(shape: ByteShape['lookup'], literals: readonly string[] | undefined): boolean {
    const kind = KIND[shape];
    const known = this.literalsSet[kind];
    if (known !== undefined) return known;
    let ok = literals !== undefined && literals.every((l) => l.length >= 4 && l.length < 256 && /^[\x20-\x7e]+$/.test(l));
    // The module finds an agent record's `level=w` (e, f, p) without looking for it: those must be literals.
    if (ok && shape === 'logrus') ok = ['level=w', 'level=e', 'level=f', 'level=p'].every((l) => literals!.includes(l));
    if (ok) {
      // Literals of one pair of first bytes next to each other (the module indexes the first of each pair).
      const sorted = [...literals!].sort((a, b) => (a.slice(0, 2) < b.slice(0, 2) ? -1 : a.slice(0, 2) > b.slice(0, 2) ? 1 : 0));
      let at = this.ex.literalsAt(kind);
      const end = at + LITERAL_BYTES - 1;
      for (const l of sorted) {
        if (at + 1 + l.length >= end) {
          ok = false;
          break;
        }
        this.mem[at] = l.length;
        this.mem.write(l, at + 1, 'latin1');
        at += 1 + l.length;
      }
      this.mem[at] = 0;
      ok = ok && this.ex.setLiterals(kind) === 1;
    }
    this.literalsSet[kind] = ok;
    return ok;
  }

  /**
   * The candidate records of the loaded text from `from` (a record's start, on line `line`) to `to`, their bounds and
   * plan ids, read in the module (wasm/byte-keys.ts scanRecords); the header and entries are then in out() (HEAD,
   * ENTRY). Returns the number of entries.
   */
  scan(shape: ByteShape['lookup'], from: number, to: number, line: number): number {
    return this.ex.scanRecords(KIND[shape], from, to, line);
  }

  /** scanRecords' header (words 0 to ENTRY_WORDS - 1) and entries (ENTRY_WORDS words each, after it). */
  out(): Int32Array {
    return this.view;
  }

  /**
   * The id of the plan remembered for the record at [start, end) of the loaded text, read as `shape` (plan() gives
   * it); -1: not known, remember() takes it; -2: not of the shape.
   */
  lookup(shape: ByteShape['lookup'], start: number, end: number): number {
    return shape === 'logrus' ? this.ex.lookup(start, end) : this.ex.lookupGc(start, end);
  }

  plan(id: number): P {
    return this.plans[id]!;
  }

  /**
   * For an id remembered by rememberAddresses: the addresses its plan states, which a record found with it (its middle
   * the same but for its socket addresses) has its own in place of; undefined for a plan of the record's own middle.
   */
  addressesOf(id: number): readonly string[] | undefined {
    return this.ips[id];
  }

  /** The hash a middle at [start, end) of the loaded text gets (0: not printable); tests look for collisions with it. */
  hashOf(start: number, end: number): number {
    return this.ex.hashAt(start, end) >>> 0;
  }

  /** Where the last lookup's middle ends, from its record's start. */
  middleEnd(): number {
    return this.ex.middleEnd();
  }

  /** Remembers the last lookup's middle (it returned -1) with `plan`; a full table is emptied first. */
  remember(plan: P): void {
    this.keep((id) => this.ex.remember(id), plan, undefined, this.quiet.of(plan));
  }

  /**
   * Remembers the last lookup's middle (it returned -1) with its socket addresses blanked, with `plan` as decided for a
   * record whose addresses were `ips` (the interpreter's plan for records read alike but for their addresses): later
   * records whose middles differ from it only there are found with it (addressesOf). Nothing when it holds none.
   */
  rememberAddresses(plan: P, ips: readonly string[]): void {
    // Handed over always (quiet 0): the records' own addresses go into what the plan states.
    this.keep((id) => this.ex.rememberBlanked(id), plan, ips, 0);
  }

  /**
   * Keeps the last lookup's key as the next id through `put` (1 kept, 0 table full, -1 nothing to keep); a full table
   * is emptied first.
   */
  private keep(put: (id: number) => number, plan: P, ips: readonly string[] | undefined, quiet: QuietKind): void {
    if (this.ex.middleEnd() < 0) return;
    const kept = put(this.plans.length);
    if (kept < 0) return;
    if (kept === 0) {
      this.clear();
      if (put(0) !== 1) return; // a key longer than the arena: never kept
    }
    this.ex.setQuiet(this.plans.length, quiet);
    this.plans.push(plan);
    this.ips.push(ips);
  }

  private clear(): void {
    this.ex.clear();
    this.plans.length = 0;
    this.ips.length = 0;
  }
}

/**
 * Byte keys of agent (logrus text) records, in WebAssembly: what core/parsers/logs/byte-keys.ts puts in front of the
 * reading-key memo. A record of the usual shape,
 *
 *   time="2026-09-14T00:16:38Z" <middle>< Name=value>*
 *
 * (no byte below 0x20 or above 0x7e, the time twenty characters of digits and separators, the trailing pairs bare,
 * named as volatile fields) is keyed by its middle: the bytes between the time pair and the trailing volatile pairs.
 * The table maps middles to ids that the caller gives (its plans), up to MAX_ENTRIES; full, it says so and the caller
 * clears it. Whether a middle may be remembered is the caller's to check (its pairs must end where it ends: see
 * middleIsWholePairs in logrus.ts); this module only finds, hashes and compares bytes.
 *
 * Build: `npm run build:wasm` (AssemblyScript, --runtime stub: nothing here allocates after start-up).
 */

// Layout, from the heap base: names (volatile field names, lower case, written by the caller), the hash table, the
// arena of remembered middles, then the input (one block of text, grown on demand).
const NAMES_BYTES: usize = 4096;
// 4,096 keys: more (16,384) kept a noisy log's numbered warnings but cost more in cache misses than they saved.
const TABLE_SLOTS: u32 = 8192;
const MAX_ENTRIES: u32 = 4096;
const ARENA_BYTES: usize = 1 << 20;
const MAX_MIDDLE: u32 = 2048;

/** Candidate literals per kind of record (scanRecords): the list as the caller wrote it, and its pair index. */
const LITERAL_BYTES: usize = 2048;
/** Entries scanRecords writes at most per call (after its header). */
const OUT_ENTRIES: u32 = 512;
/** Words of a scanRecords entry, and of its header. */
const ENTRY_WORDS: u32 = 10;
/** Consecutive records without a candidate after which scanRecords gives the block back to the caller's regex. */
const SPARSE: u32 = 8;

const names: usize = (__heap_base + 15) & ~(<usize>15);
const table: usize = names + NAMES_BYTES;
const arena: usize = table + (<usize>TABLE_SLOTS << 4);
/** Where a key made of two parts of its record is put together (lookupGc). */
const scratch: usize = arena + ARENA_BYTES;
/** Per id: what a record remembered with it says when it says nothing (0: it says something; see setQuiet). */
const quiet: usize = scratch + MAX_MIDDLE + 64;
/** For kinds 0 (agent) and 1 (GuestConfig): the literals, then per two-byte pair the offset of its first (u16, +1). */
const literals: usize = quiet + MAX_ENTRIES;
const pairs: usize = literals + 2 * LITERAL_BYTES;
/** For kinds 0 and 1: per two-byte pair, bit o set when the pair is at offset o (0-2) of a literal (hasLiteral's sampling). */
const covers: usize = pairs + 2 * (65536 << 1);
const out: usize = covers + 2 * 65536;
const inputBase: usize = out + <usize>(OUT_ENTRIES + 1) * ENTRY_WORDS * 4;

let namesLength: u32 = 0;
let entries: u32 = 0;
/** Keys kept before the table says it is full (setCapacity; MAX_ENTRIES unless a test sets fewer). */
let capacity: u32 = MAX_ENTRIES;
let arenaUsed: u32 = 0;
// The last lookup's middle: where it is, its hash (what remember stores).
let lastStart: usize = 0;
let lastLength: u32 = 0;
let lastHash: u32 = 0;
let lastOk: bool = false;
/** Whether the last lookup was an agent record's (lookup), whose middle is in the input (rememberBlanked's). */
let lastAgent: bool = false;
/** Where the last lookupGc read the record's time (its first digit). */
let lastTimeAt: usize = 0;
/** Bytes of text at inputAt() (setInput): how far a record's next line may be looked at. */
let inputLength: u32 = 0;

/** Where the caller writes the volatile names: for each, its length (one byte), then its bytes in lower case. */
export function namesAt(): usize {
  return names;
}

/** `length`: bytes of names written at namesAt(). */
export function setNames(length: u32): void {
  namesLength = min(length, <u32>NAMES_BYTES);
}

/** Where the caller writes a block of `bytes` bytes (memory grown to hold it); 0 when it cannot grow. */
export function inputAt(bytes: usize): usize {
  const end = inputBase + bytes;
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  return inputBase;
}

/** The loaded text's length in bytes (what scanRecords may read at inputAt()). */
export function setInput(length: u32): void {
  inputLength = length;
}

/** Keys the table keeps before it is full, at most MAX_ENTRIES (tests fill it with fewer). */
export function setCapacity(n: u32): void {
  capacity = min(n, MAX_ENTRIES);
}

/** Empties the table (the last lookup's middle, still in the input, can then be remembered). */
export function clear(): void {
  memory.fill(table, 0, <usize>TABLE_SLOTS << 4);
  entries = 0;
  arenaUsed = 0;
}

@inline function lowerCase(c: u32): u32 {
  return c - 65 < 26 ? c | 0x20 : c;
}

@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/** Whether [from, to) is one of the names, ASCII letters folded. */
function isVolatileName(from: usize, to: usize): bool {
  const n = <u32>(to - from);
  let p = names;
  const end = names + namesLength;
  while (p < end) {
    const len = <u32>load<u8>(p);
    if (len == n) {
      let i: u32 = 0;
      for (; i < n; i++) if (lowerCase(<u32>load<u8>(from + i)) != <u32>load<u8>(p + 1 + i)) break;
      if (i == n) return true;
    }
    p += 1 + len;
  }
  return false;
}

/** `DDDD-DD-DD<sep>DD:DD:DD` at t (19 bytes): the agent's (`T`) and GuestConfig's (space) date and time. */
function dateTimeAt(t: usize, sep: u32): bool {
  for (let i: usize = 0; i < 19; i++) {
    const c = <u32>load<u8>(t + i);
    if (i == 4 || i == 7) {
      if (c != 45) return false;
    } else if (i == 10) {
      if (c != sep) return false;
    } else if (i == 13 || i == 16) {
      if (c != 58) return false;
    } else if (!isDigit(c)) return false;
  }
  return true;
}

/** `time="DDDD-DD-DDTDD:DD:DDZ" ` at p (28 bytes). */
function timePair(p: usize): bool {
  if (load<u32>(p) != 0x656d6974 /* time */ || load<u16>(p + 4) != 0x223d /* =" */) return false;
  return dateTimeAt(p + 6, 84 /* T */) && load<u8>(p + 25) == 90 /* Z */ && load<u8>(p + 26) == 34 && load<u8>(p + 27) == 32;
}

/** Bit i set when byte i of `v` is a space, a quote, `=`, or outside 0x20-0x7e: what lookup's walk looks at. */
@inline function special(v: v128): u32 {
  const outside = v128.or(i8x16.lt_u(v, i8x16.splat(32)), i8x16.gt_u(v, i8x16.splat(126)));
  const marks = v128.or(i8x16.eq(v, i8x16.splat(32)), v128.or(i8x16.eq(v, i8x16.splat(34)), i8x16.eq(v, i8x16.splat(61))));
  return i8x16.bitmask(v128.or(outside, marks));
}

/** Whether every byte of `w` is printable ASCII (0x20-0x7e): no byte below 0x20, none above 0x7e (SWAR tests). */
@inline function printable(w: u64): bool {
  const below = (w - 0x2020202020202020) & ~w;
  const above = (w + 0x0101010101010101) | w;
  return ((below | above) & 0x8080808080808080) == 0;
}

/** Set by hashPrintable: the hash of the bytes it read. */
let hashed: u32 = 0;

/** Hashes [from, to) eight bytes at a time into `hashed`; false when a byte is not printable ASCII. */
function hashPrintable(from: usize, to: usize): bool {
  let h: u64 = 0xcbf29ce484222325 ^ <u64>(to - from);
  let p = from;
  for (; p + 8 <= to; p += 8) {
    const w = load<u64>(p);
    if (!printable(w)) return false;
    h = (h ^ w) * 0x100000001b3;
    h ^= h >> 29;
  }
  for (; p < to; p++) {
    const c = <u64>load<u8>(p);
    if (c - 32 > 94) return false;
    h = (h ^ c) * 0x100000001b3;
  }
  h ^= h >> 32;
  hashed = <u32>(h * 0x9e3779b97f4a7c15 >> 32);
  return true;
}

/** The hash lookup() gives input[start, end) as a middle (0 when a byte is not printable): for tests to find collisions. */
export function hashAt(start: u32, end: u32): u32 {
  return hashPrintable(inputBase + start, inputBase + end) ? hashed : 0;
}

/** Whether [a, a + n) and [b, b + n) hold the same bytes (sixteen at a time). */
function sameBytes(a: usize, b: usize, n: usize): bool {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) if (!i8x16.all_true(i8x16.eq(v128.load(a + i), v128.load(b + i)))) return false;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/**
 * The record at input[start, end): the id remembered for its middle (>= 0), -1 when it has the shape but its middle
 * is not known (remember() takes it), -2 when it does not have the shape.
 */
export function lookup(start: u32, end: u32): i32 {
  lastOk = false;
  lastAgent = true;
  const p = inputBase + start;
  const q = inputBase + end;
  if (end < start + 28 || !timePair(p)) return -2;
  const from = p + 28;
  // Trailing pairs, from the end: ` Name=value`, the value without space or quote; the first `=` ends the name.
  let e = q;
  let j = q;
  let eq: usize = 0;
  let stop = false;
  while (j > from && !stop) {
    if (j - from >= 16) {
      // Sixteen bytes at once: only the spaces, quotes, `=` and bytes outside 0x20-0x7e among them need a look, last first.
      const base = j - 16;
      let m = special(v128.load(base));
      while (m != 0) {
        const i = 31 - clz<u32>(m);
        m &= ~(<u32>1 << i);
        const k = base + <usize>i;
        const c = <u32>load<u8>(k);
        if (c < 32 || c > 126) return -2;
        if (c == 34 || (c == 32 && (eq == 0 || !isVolatileName(k + 1, eq)))) {
          stop = true;
          break;
        }
        if (c == 32) {
          e = k;
          eq = 0;
        } else eq = k;
      }
      j = base;
      continue;
    }
    const c = <u32>load<u8>(j - 1);
    if (c < 32 || c > 126) return -2;
    if (c == 34) break;
    if (c == 32) {
      if (eq == 0 || !isVolatileName(j, eq)) break;
      e = j - 1;
      eq = 0;
    } else if (c == 61) eq = j - 1;
    j--;
  }
  const length = <u32>(e - from);
  if (length > MAX_MIDDLE) return -2;
  // The middle hashed, and checked as the trailing pairs were: [j, e) again, [from, j) for the first time.
  if (!hashPrintable(from, e)) return -2;
  const id = find(from, length, hashed);
  if (id != -1 || length > MAX_ADDRESS_MIDDLE) return id;
  // Not known: known, perhaps, with other socket addresses (rememberBlanked). The middle stays the last one either way.
  const n = blankAddresses(from, e);
  if (n == 0) return -1;
  const a = find(scratch, n, blankHash(n));
  lastStart = from;
  lastLength = length;
  lastHash = hashed;
  lastOk = true;
  return a;
}

/**
 * Middles no longer than this are also looked up with their socket addresses blanked: the interpreter replays a plan
 * for other addresses only when its reading key (the middle and a space each side) has at most 300 characters.
 */
const MAX_ADDRESS_MIDDLE: u32 = 290;

/** The byte at p of a middle ending at e, a space past its end (where the reading key ends or has its space). */
@inline function middleByte(p: usize, e: usize): u32 {
  return p < e ? <u32>load<u8>(p) : 32;
}

@inline function isWordish(c: u32): bool {
  return isDigit(c) || (c | 0x20) - 97 < 26 || c == 46 || c == 95;
}

/** Where the IPv4 literal at i ends when a `:` and a digit follow it (addresses.ts addressEnd), else 0. */
function addressEnd(i: usize, e: usize): usize {
  let j = i;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (middleByte(j, e) != 46) return 0;
      j++;
    }
    let n: u32 = 0;
    const from = j;
    while (j - from < 3 && isDigit(middleByte(j, e))) n = n * 10 + middleByte(j++, e) - 48;
    if (j == from || n > 255 || isDigit(middleByte(j, e))) return 0;
  }
  return middleByte(j, e) == 58 && isDigit(middleByte(j + 1, e)) ? j : 0;
}

/**
 * The middle [from, e) with each socket address's IP as the byte 1 and one for its length (addresses.ts
 * socketAddresses: found from the colons, the IP not continuing a word, link-local never), in scratch; returns its
 * length, or 0 when it holds no address. The byte before `from` is the space after the time pair.
 */
function blankAddresses(from: usize, e: usize): u32 {
  let w = scratch;
  let kept = from;
  let found = false;
  for (let colon = nextColon(from, e); colon < e; colon = nextColon(colon + 1, e)) {
    if (!isDigit(middleByte(colon + 1, e))) continue;
    let i = colon;
    while (i > from && colon - i <= 15 && (isDigit(<u32>load<u8>(i - 1)) || load<u8>(i - 1) == 46)) i--;
    if (i == colon || !isDigit(<u32>load<u8>(i)) || isWordish(<u32>load<u8>(i - 1))) continue;
    if (addressEnd(i, e) != colon || literal(i, e, '169.254.')) continue;
    memory.copy(w, kept, i - kept);
    w += i - kept;
    store<u8>(w, 1);
    store<u8>(w + 1, 48 + <u32>(colon - i));
    w += 2;
    kept = colon;
    found = true;
  }
  if (!found) return 0;
  memory.copy(w, kept, e - kept);
  return <u32>(w + (e - kept) - scratch);
}

/** The first `:` in [from, e), or e. */
@inline function nextColon(from: usize, e: usize): usize {
  return firstByte(58, from, e);
}

/** The hash of scratch[0, n) (a blanked middle: not all printable). */
function blankHash(n: u32): u32 {
  let h: u64 = 0x84222325cbf29ce4 ^ <u64>n;
  for (let p = scratch; p < scratch + n; p++) h = (h ^ <u64>load<u8>(p)) * 0x100000001b3;
  h ^= h >> 32;
  return <u32>(h * 0x9e3779b97f4a7c15 >> 32);
}

/** The id of the key [from, from + length) with hash h, or -1; the key is kept as the last one for remember(). */
function find(from: usize, length: u32, h: u32): i32 {
  lastStart = from;
  lastLength = length;
  lastHash = h;
  lastOk = true;
  // The table is at most half full (MAX_ENTRIES): an empty slot ends every probe.
  let slot = h & (TABLE_SLOTS - 1);
  for (let n: u32 = 0; n < TABLE_SLOTS; n++) {
    const s = table + (<usize>slot << 4);
    const at = load<u32>(s, 4);
    if (at == 0) break;
    if (load<u32>(s) == h && load<u32>(s, 8) == length && sameBytes(arena + at - 1, from, length)) return load<i32>(s, 12);
    slot = (slot + 1) & (TABLE_SLOTS - 1);
  }
  return -1;
}

/** Digits from p while below q; returns where they end. */
function digits(p: usize, q: usize): usize {
  while (p < q && isDigit(<u32>load<u8>(p))) p++;
  return p;
}

/** Spaces from p while below q; returns where they end. */
function spaces(p: usize, q: usize): usize {
  while (p < q && load<u8>(p) == 32) p++;
  return p;
}

/** Whether the bytes at p are `s` (ASCII), below q. */
function literal(p: usize, q: usize, s: string): bool {
  if (p + <usize>s.length > q) return false;
  for (let i = 0; i < s.length; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

@inline function isHexOrDash(c: u32): bool {
  return isDigit(c) || (c | 0x20) - 97 < 6 || c == 45;
}

/**
 * A GuestConfig record at input[start, end), `(<GCLOG>)?[YYYY-MM-DD HH:MM:SS(.f+)] [PID n] [TID n] [component]
 * [LEVEL] ([activity id])?rest` as gc-bracket's head reads it (printable ASCII: its \s are spaces): keyed by the
 * level word and the rest, which is all its reading key holds (the level, normalized, and the rest). Returns as
 * lookup() does.
 */
export function lookupGc(start: u32, end: u32): i32 {
  lastOk = false;
  lastAgent = false;
  let p = inputBase + start;
  const q = inputBase + end;
  if (literal(p, q, '<GCLOG>')) p += 7;
  if (p + 21 > q || load<u8>(p) != 91 /* [ */) return -2;
  const t = p + 1;
  if (!dateTimeAt(t, 32 /* space */)) return -2;
  lastTimeAt = t;
  let k = t + 19;
  if (k < q && (load<u8>(k) == 46 || load<u8>(k) == 44)) {
    const f = digits(k + 1, q);
    if (f == k + 1) return -2;
    k = f;
  }
  if (!literal(k, q, ']')) return -2;
  k = spaces(k + 1, q);
  if (!literal(k, q, '[PID ')) return -2;
  let d = digits(k + 5, q);
  if (d == k + 5 || !literal(d, q, ']')) return -2;
  k = spaces(d + 1, q);
  if (!literal(k, q, '[TID ')) return -2;
  d = digits(k + 5, q);
  if (d == k + 5 || !literal(d, q, ']')) return -2;
  k = spaces(d + 1, q);
  if (!literal(k, q, '[')) return -2;
  k++;
  while (k < q && load<u8>(k) != 93 /* ] */) k++;
  if (k >= q) return -2;
  k = spaces(k + 1, q);
  if (!literal(k, q, '[')) return -2;
  const levelStart = k + 1;
  let levelEnd = levelStart;
  while (levelEnd < q && (<u32>load<u8>(levelEnd) | 0x20) - 97 < 26) levelEnd++;
  if (levelEnd == levelStart || !literal(levelEnd, q, ']')) return -2;
  k = spaces(levelEnd + 1, q);
  if (k + 38 <= q && load<u8>(k) == 91 && load<u8>(k + 37) == 93) {
    let id = true;
    for (let i: usize = 1; i <= 36; i++) {
      if (!isHexOrDash(<u32>load<u8>(k + i))) {
        id = false;
        break;
      }
    }
    if (id) k += 38;
  }
  // The key: the level word, a byte no record holds, the rest; the whole record printable (the head's component too).
  const levelLength = <u32>(levelEnd - levelStart);
  const restLength = <u32>(q - k);
  const length = levelLength + 1 + restLength;
  if (length > MAX_MIDDLE || !hashPrintable(inputBase + start, q)) return -2;
  memory.copy(scratch, levelStart, levelLength);
  store<u8>(scratch + levelLength, 1);
  memory.copy(scratch + levelLength + 1, k, restLength);
  hashPrintable(scratch + levelLength + 1, scratch + length);
  let h = hashed;
  for (let i: usize = 0; i < <usize>levelLength; i++) h = (h ^ <u32>load<u8>(levelStart + i)) * 16777619;
  return find(scratch, length, h);
}

/** Where the last lookup's middle ends, from the record's start (its middle starts at 28); -1 when it had none. */
export function middleEnd(): i32 {
  return lastOk ? <i32>(28 + lastLength) : -1;
}

/** Remembers the last lookup's middle (a miss) as `id`: 1 when kept, 0 when the table is full (clear it first). */
export function remember(id: i32): i32 {
  if (!lastOk) return 0;
  if (!keep(lastStart, lastLength, lastHash, id)) return 0;
  lastOk = false;
  return 1;
}

/**
 * Remembers the last lookup's agent middle (a miss) with its socket addresses blanked, as `id` (a plan replayed for
 * other addresses): 1 when kept, 0 when the table is full (clear it first), -1 when it holds no address or is too long.
 */
export function rememberBlanked(id: i32): i32 {
  if (!lastOk || !lastAgent || lastLength > MAX_ADDRESS_MIDDLE) return -1;
  const n = blankAddresses(lastStart, lastStart + lastLength);
  if (n == 0) return -1;
  if (!keep(scratch, n, blankHash(n), id)) return 0;
  lastOk = false;
  return 1;
}

/** Puts the key [at, at + length) with hash h in the table as `id`; false when full. */
function keep(at: usize, length: u32, h: u32, id: i32): bool {
  if (entries >= capacity || <usize>arenaUsed + length > ARENA_BYTES) return false;
  let slot = h & (TABLE_SLOTS - 1);
  while (load<u32>(table + (<usize>slot << 4), 4) != 0) slot = (slot + 1) & (TABLE_SLOTS - 1);
  const s = table + (<usize>slot << 4);
  memory.copy(arena + arenaUsed, at, length);
  store<u32>(s, h);
  store<u32>(s, arenaUsed + 1, 4);
  store<u32>(s, length, 8);
  store<i32>(s, id, 12);
  arenaUsed += length;
  entries++;
  return true;
}

// ---- Record scanning (scanRecords): a block's candidate records, their bounds and their plans, in one call ----

/**
 * `kind` says of each id remembered what the records with it say when they say nothing: 1 nothing at all (known to say
 * nothing), 2 nothing but counted as a plan (an empty plan), 0 something. scanRecords counts the records of 1 and 2
 * instead of writing them out.
 */
export function setQuiet(id: u32, kind: u32): void {
  if (id < MAX_ENTRIES) store<u8>(quiet + id, kind);
}

/** Where the caller writes the candidate literals of `kind` (0 agent, 1 GuestConfig): each its length (one byte), then its bytes; a 0 ends them. */
export function literalsAt(kind: u32): usize {
  return literals + <usize>kind * LITERAL_BYTES;
}

/**
 * Indexes the literals written at literalsAt(kind) by their first two bytes; false when they do not fit or one is
 * shorter than two bytes. The caller writes literals of one pair next to each other.
 */
export function setLiterals(kind: u32): bool {
  const list = literalsAt(kind);
  const index = pairs + <usize>kind * (65536 << 1);
  const cover = covers + <usize>kind * 65536;
  memory.fill(index, 0, 65536 << 1);
  memory.fill(cover, 0, 65536);
  let p = list;
  const end = list + LITERAL_BYTES;
  while (p < end) {
    const n = <usize>load<u8>(p);
    if (n == 0) return true;
    // Four bytes at least: hasLiteral looks at every third pair, and a literal holds three pairs from its start.
    if (n < 4 || p + 1 + n >= end) return false;
    const slot = index + (<usize>load<u16>(p + 1) << 1);
    if (load<u16>(slot) == 0) store<u16>(slot, <u16>(p - list + 1));
    for (let o: usize = 0; o < 3; o++) {
      const c = cover + <usize>load<u16>(p + 1 + o);
      store<u8>(c, <u32>load<u8>(c) | (<u32>1 << <u32>o));
    }
    p += 1 + n;
  }
  return false;
}

/** Whether a literal of `kind` starts at i and ends by `to` (the literals of i's first pair, from the first). */
function literalAt(kind: u32, i: usize, to: usize): bool {
  if (i + 1 >= to) return false;
  const first = <usize>load<u16>(pairs + <usize>kind * (65536 << 1) + (<usize>load<u16>(i) << 1));
  if (first == 0) return false;
  const pair = load<u16>(i);
  let p = literalsAt(kind) + first - 1;
  for (;;) {
    const n = <usize>load<u8>(p);
    if (n == 0 || load<u16>(p + 1) != pair) return false;
    if (i + n <= to && sameBytes(p + 1, i, n)) return true;
    p += 1 + n;
  }
  return false;
}

/**
 * Whether a literal of `kind` occurs in input[from, to) (absolute addresses). Every literal is four bytes or more, so
 * an occurrence at k has pairs starting at k, k + 1 and k + 2, one of which is at a position this looks at (every
 * third from `from`); the pair's offsets in the literals (covers) say where such a literal would start.
 */
function hasLiteral(kind: u32, from: usize, to: usize): bool {
  const cover = covers + <usize>kind * 65536;
  for (let j = from; j + 1 < to; j += 3) {
    const m = <u32>load<u8>(cover + <usize>load<u16>(j));
    if (m == 0) continue;
    if ((m & 1) != 0 && literalAt(kind, j, to)) return true;
    if ((m & 2) != 0 && j >= from + 1 && literalAt(kind, j - 1, to)) return true;
    if ((m & 4) != 0 && j >= from + 2 && literalAt(kind, j - 2, to)) return true;
  }
  return false;
}

/** The first line break in [from, to), or `to`. */
@inline function lineBreak(from: usize, to: usize): usize {
  return firstByte(10, from, to);
}

/** The first byte `c` in [from, to), or `to` (sixteen bytes at a time). */
function firstByte(c: u32, from: usize, to: usize): usize {
  let p = from;
  const v = i8x16.splat(<i8>c);
  for (; p + 16 <= to; p += 16) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(p), v));
    if (m != 0) return p + <usize>ctz<u32>(m);
  }
  for (; p < to; p++) if (<u32>load<u8>(p) == c) return p;
  return to;
}

/** Whether the line at p (below `limit`, the loaded text's end) starts a record of `kind`, as the grammar's startsRecord. */
function startsRecord(kind: u32, p: usize, limit: usize): bool {
  if (kind == 0) return p + 6 <= limit && load<u32>(p) == 0x656d6974 /* time */ && load<u16>(p + 4) == 0x223d; /* =" */
  if (literal(p, limit, '<GCLOG>')) p += 7;
  return p + 20 <= limit && load<u8>(p) == 91 /* [ */ && dateTimeAt(p + 1, 32);
}

@inline function twoDigits(p: usize): u32 {
  return (<u32>load<u8>(p) - 48) * 10 + (<u32>load<u8>(p + 1) - 48);
}

/**
 * Whether the GuestConfig time at t (`YYYY-MM-DD HH:MM:SS`, digits checked) is surely one the grammar's time reading
 * takes: month 1-12, day 1-28, hour, minute and second in range (others are left to the caller to read).
 */
function gcTimeSure(t: usize): bool {
  const month = twoDigits(t + 5);
  const day = twoDigits(t + 8);
  return month - 1 < 12 && day - 1 < 28 && twoDigits(t + 11) < 24 && twoDigits(t + 14) < 60 && twoDigits(t + 17) < 60;
}

/**
 * Reads the records of input[from, to) (`from` starts one, `to` ends a line or the text) as the scanner does with the
 * grammar's candidates regex: a record is a line that starts one (startsRecord) and the lines after it that do not;
 * a candidate holds a literal of `kind`. For each candidate: its plan by its bytes (lookup, lookupGc). Records whose
 * plan says nothing (setQuiet) are counted, not written out; the others are written as entries of ENTRY_WORDS words
 * after a header of as many:
 *
 *   header: entries, where reading stopped, its line, then the quiet records after the last entry: kind 1, kind 2, the
 *           last one's start (-1: none), and 1 when it stopped at SPARSE records without a candidate
 *   entry:  start, end (after its last line break), end without the line break (and CR), line, line breaks, plan id (as
 *           lookup returns it), the quiet records before it (kind 1, kind 2, the last one's start)
 *
 * It stops after an entry whose id is negative (the caller then reads that record and may remember it), when the
 * entries are full, at `to`, or at SPARSE records in a row without a candidate (the caller's regex skips those faster).
 * `line` is the line number at `from`. Returns the number of entries.
 */
export function scanRecords(kind: u32, from: u32, to: u32, line: u32): u32 {
  const limit = inputBase + inputLength;
  const end = inputBase + to;
  let p = inputBase + from;
  let entries: u32 = 0;
  let quietA: u32 = 0;
  let quietB: u32 = 0;
  let quietLast: i32 = -1;
  let sparse: u32 = 0;
  let stopped: u32 = 0;
  while (p < end) {
    if (sparse >= SPARSE) {
      stopped = 1;
      break;
    }
    // The record's lines, and whether one holds a literal (an agent record's level word is looked at first).
    const start = p;
    let breaks: u32 = 0;
    let nl = lineBreak(p, end);
    // `level=w` (e, f, p) where the agent writes it is one of the literals, found without looking for them.
    let candidate = kind == 0 && p + 35 <= nl && literal(p + 28, nl, 'level=') && isProblemLetter(<u32>load<u8>(p + 34));
    if (!candidate) candidate = hasLiteral(kind, p, nl);
    let q = nl;
    while (q < end) {
      breaks++;
      q++;
      if (q >= end || startsRecord(kind, q, limit)) break;
      nl = lineBreak(q, end);
      if (!candidate) candidate = hasLiteral(kind, q, nl);
      q = nl;
    }
    if (!candidate) {
      sparse++;
      line += breaks;
      p = q;
      continue;
    }
    sparse = 0;
    let rawEnd = q;
    if (rawEnd > start && load<u8>(rawEnd - 1) == 10) rawEnd--;
    if (rawEnd > start && load<u8>(rawEnd - 1) == 13) rawEnd--;
    const s = <u32>(start - inputBase);
    const id = kind == 0 ? lookup(s, <u32>(rawEnd - inputBase)) : lookupGc(s, <u32>(rawEnd - inputBase));
    if (id >= 0) {
      const k = <u32>load<u8>(quiet + <usize>id);
      if (k != 0 && (kind == 0 || gcTimeSure(lastTimeAt))) {
        if (k == 1) quietA++;
        else quietB++;
        quietLast = <i32>s;
        line += breaks;
        p = q;
        continue;
      }
    }
    const e = out + <usize>(entries + 1) * ENTRY_WORDS * 4;
    store<u32>(e, s);
    store<u32>(e, <u32>(q - inputBase), 4);
    store<u32>(e, <u32>(rawEnd - inputBase), 8);
    store<u32>(e, line, 12);
    store<u32>(e, breaks, 16);
    store<i32>(e, id, 20);
    storeQuiet(e + 24, quietA, quietB, quietLast);
    quietA = 0;
    quietB = 0;
    quietLast = -1;
    entries++;
    line += breaks;
    p = q;
    if (id < 0 || entries >= OUT_ENTRIES) break;
  }
  store<u32>(out, entries);
  store<u32>(out, <u32>(p - inputBase), 4);
  store<u32>(out, line, 8);
  storeQuiet(out + 12, quietA, quietB, quietLast);
  store<u32>(out, stopped, 24);
  return entries;
}

/** The records counted as saying nothing before an entry (or the end), as three words at `at`. */
@inline function storeQuiet(at: usize, a: u32, b: u32, last: i32): void {
  store<u32>(at, a);
  store<u32>(at, b, 4);
  store<i32>(at, last, 8);
}

/** Where scanRecords writes its header and entries. */
export function outAt(): usize {
  return out;
}

/** `w`, `e`, `f`, `p`: the first letter of a problem level (warning, error, fatal, panic), as `level=[wefp]`. */
@inline function isProblemLetter(c: u32): bool {
  return c == 119 || c == 101 || c == 102 || c == 112;
}

/**
 * Hand-built zips for hostile-input tests and the fuzzer: what yazl will not write (entries sharing one local
 * record, sizes that lie, local names that differ from the central directory's, duplicate names) and what it
 * writes too slowly (100,000 entries). Written directly, record by record (APPNOTE 4.3.7, 4.3.12, 4.3.14).
 */
import { crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';

export interface CraftEntry {
  /** Name in the central directory. */
  name: string;
  /** Name in the local header (default: `name`). */
  localName?: string;
  /** The content (uncompressed). */
  data: Buffer;
  /** 8 deflate (default), 0 stored. */
  method?: 0 | 8;
  /** Uncompressed size written in both headers (default: the real size). */
  declaredSize?: number;
  /** Point this central record at the local record of entry `sameAs` instead of writing one (overlap). */
  sameAs?: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as zip uses it (zlib's when this Node has it). */
export function crc32(buf: Buffer): number {
  if (typeof zlibCrc32 === 'function') return zlibCrc32(buf);
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of the entries. The same Buffer object given twice is compressed once (10,000 entries of 1 MiB). */
export function craftZip(entries: readonly CraftEntry[]): Buffer {
  const packed = new Map<Buffer, { crc: number; deflated?: Buffer }>();
  const pack = (data: Buffer, method: number): { crc: number; body: Buffer } => {
    let p = packed.get(data);
    if (!p) packed.set(data, (p = { crc: crc32(data) }));
    if (method === 0) return { crc: p.crc, body: data };
    p.deflated ??= deflateRawSync(data);
    return { crc: p.crc, body: p.deflated };
  };
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  const localAt: number[] = [];
  const localInfo: Array<{ crc: number; compressed: number }> = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const method = e.method ?? 8;
    const name = Buffer.from(e.name);
    let at: number;
    let crc: number;
    let compressed: number;
    if (e.sameAs !== undefined) {
      at = localAt[e.sameAs]!;
      ({ crc, compressed } = localInfo[e.sameAs]!);
    } else {
      const { crc: c, body } = pack(e.data, method);
      crc = c;
      compressed = body.length;
      const localName = Buffer.from(e.localName ?? e.name);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x800, 6); local.writeUInt16LE(method, 8);
      local.writeUInt32LE(crc, 14); local.writeUInt32LE(compressed, 18); local.writeUInt32LE(e.declaredSize ?? e.data.length, 22);
      local.writeUInt16LE(localName.length, 26);
      at = offset;
      parts.push(local, localName, body);
      offset += 30 + localName.length + body.length;
    }
    localAt[i] = at;
    localInfo[i] = { crc, compressed };
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10); central.writeUInt32LE(crc, 16); central.writeUInt32LE(compressed, 20);
    central.writeUInt32LE(e.declaredSize ?? e.data.length, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(at, 42);
    centrals.push(central, name);
  });
  const cd = Buffer.concat(centrals);
  const n = entries.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(Math.min(n, 0xffff), 8); eocd.writeUInt16LE(Math.min(n, 0xffff), 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  if (n < 0xffff) return Buffer.concat([...parts, cd, eocd]);
  // More entries than 16 bits count: a zip64 end record and its locator carry the real count.
  const z64 = Buffer.alloc(56);
  z64.writeUInt32LE(0x06064b50, 0); z64.writeBigUInt64LE(44n, 4); z64.writeUInt16LE(45, 12); z64.writeUInt16LE(45, 14);
  z64.writeBigUInt64LE(BigInt(n), 24); z64.writeBigUInt64LE(BigInt(n), 32);
  z64.writeBigUInt64LE(BigInt(cd.length), 40); z64.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0); locator.writeBigUInt64LE(BigInt(offset + cd.length), 8); locator.writeUInt32LE(1, 16);
  return Buffer.concat([...parts, cd, z64, locator, eocd]);
}

/** Stored entries (no compression), as a listing-speed test wants them. */
export function storedZip(entries: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  return craftZip(entries.map((e) => ({ ...e, method: 0 })));
}

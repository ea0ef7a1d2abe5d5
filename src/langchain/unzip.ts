/**
 * Reading one file out of a zip archive (a skill package), with no dependency: the central directory names the
 * entries, each entry is stored or deflated. Sizes are capped while inflating, so a zip bomb cannot exhaust memory.
 */
import { inflateRawSync } from "node:zlib";

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** One entry of an archive's central directory. */
interface Entry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localOffset: number;
}

function entries(bytes: Uint8Array): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is the last 22 bytes, or further back by a comment of up to 65535 bytes.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return [];
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const found: Entry[] = [];
  for (let index = 0; index < count && at + 46 <= bytes.length; index++) {
    if (view.getUint32(at, true) !== DIRECTORY_ENTRY) break;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    found.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

function contents(bytes: Uint8Array, entry: Entry, maxBytes: number): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_HEADER) return null;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.subarray(0, maxBytes);
  if (entry.method !== 8) return null;
  try {
    return new Uint8Array(inflateRawSync(data, { maxOutputLength: maxBytes }));
  } catch {
    return null;
  }
}

/**
 * The bytes of the first entry whose name `wanted` accepts (entries in archive order), at most `maxBytes` of it;
 * null when the archive is unreadable or has no such entry. `name` is the entry's path inside the archive.
 */
export function readZipEntry(
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
  maxBytes: number,
): { name: string; bytes: Uint8Array } | null {
  for (const entry of entries(bytes)) {
    if (!wanted(entry.name)) continue;
    const data = contents(bytes, entry, maxBytes);
    return data ? { name: entry.name, bytes: data } : null;
  }
  return null;
}

/**
 * Building zip archives from caller-chosen file names.
 *
 * fflate's `zipSync` takes the files as a plain object and copies them into another plain object, so a file named
 * `__proto__` replaces that object's prototype instead of becoming an entry (the archive came out with entries
 * "0" and "1"). The streaming `Zip` class takes each name as a string argument and never indexes an object by it;
 * with `ZipDeflate` it runs synchronously, so the result is the same bytes `zipSync` would give.
 */
import { Zip, ZipDeflate } from "fflate";

/** One file of an archive. */
export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
  mtime: Date;
}

/** A zip of `entries`, in order, deflated at `level`. */
export function zipEntries(entries: readonly ZipEntry[], level: 6 | 9 = 6): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  for (const entry of entries) {
    const file = new ZipDeflate(entry.name, { level });
    file.mtime = entry.mtime;
    zip.add(file);
    file.push(entry.bytes, true);
  }
  zip.end();
  if (failure) throw failure;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

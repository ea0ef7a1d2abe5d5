/** Reading a web stream body whole, up to a byte cap (the injected-fetch transport and signed-URL downloads). */

/**
 * The stream's bytes, or `tooLarge()` thrown as soon as they pass `maxBytes`: the transfer is cancelled there, so
 * an oversized (or inflating) body never sits in memory whole.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Thrown by {@link readErrorText} past its cap, so that only the overflow (not an abort or a reset) is dropped. */
class ErrorBodyTooLarge extends Error {}

/**
 * An error response's body as UTF-8 text, or `""` when it is over `maxBytes`: the status is the answer, and the body
 * only detail, so an oversized one is dropped (the transfer cancelled at the cap) rather than read whole.
 */
export async function readErrorText(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string> {
  try {
    return new TextDecoder().decode(await readCapped(body, maxBytes, () => new ErrorBodyTooLarge()));
  } catch (error) {
    if (error instanceof ErrorBodyTooLarge) return "";
    throw error;
  }
}

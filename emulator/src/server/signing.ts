/**
 * Signed download URLs, served by the emulator itself in place of Google Cloud Storage:
 * `http://<host>/__storage/<kind>/<id>/<filename>?expires=<epoch s>&signature=<hex HMAC-SHA256>`.
 * No Authorization is needed (the signature is the grant); a bad or expired signature is a 403, with expiry
 * judged on the emulator's clock so a virtual clock can expire a URL.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { EmulatorClock } from "../world/clock.js";
import { raw, type Handler, type Reply } from "./context.js";
import type { BlobRecord } from "../world/model.js";
import type { Store } from "../world/store.js";

/** The route pattern of storage downloads (relative to the origin). */
export const STORAGE_ROUTE = "/__storage/{kind}/{id}/{filename}";

/** Issues and checks signed URLs. */
export class UrlSigner {
  readonly #secret: string;
  readonly #clock: EmulatorClock;
  readonly #ttlMs: number;
  #origin = "";

  constructor(secret: string, clock: EmulatorClock, ttlMs: number) {
    this.#secret = secret;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** Set once the server listens: `http://127.0.0.1:<port>`. */
  setOrigin(origin: string): void {
    this.#origin = origin;
  }

  /** `host:port` that serves signed URLs (for a client's download allow-list). */
  get host(): string {
    return this.#origin ? new URL(this.#origin).host : "";
  }

  /** A signed URL for the blob `<kind>/<id>`, valid for `ttlMs` (default: the emulator's `signedUrlTtlMs`). */
  sign(kind: string, id: string, filename: string, ttlMs = this.#ttlMs): string {
    const expires = Math.floor((this.#clock.now() + ttlMs) / 1000);
    const signature = this.#mac(kind, id, filename, expires);
    const path = [kind, id, filename].map(encodeURIComponent).join("/");
    return `${this.#origin}/__storage/${path}?expires=${expires}&signature=${signature}`;
  }

  /** Checks a signature and its expiry. */
  verify(
    kind: string,
    id: string,
    filename: string,
    expires: string,
    signature: string,
  ): "ok" | "invalid" | "expired" {
    if (!/^\d+$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature)) return "invalid";
    const expected = Buffer.from(this.#mac(kind, id, filename, Number(expires)), "hex");
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return "invalid";
    return this.#clock.now() / 1000 > Number(expires) ? "expired" : "ok";
  }

  #mac(kind: string, id: string, filename: string, expires: number): string {
    return createHmac("sha256", this.#secret).update(`${kind}\n${id}\n${filename}\n${expires}`).digest("hex");
  }
}

/** Stores bytes under `<kind>/<id>` so {@link UrlSigner.sign} can hand out a URL for them. */
export function putBlob(store: Store, kind: string, id: string, blob: BlobRecord): void {
  store.blobs.set(`${kind}/${id}`, blob);
}

/** GCS answers signature problems with an XML error document; the emulator does the same. */
function storageError(status: number, code: string, message: string): Reply {
  const xml = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return raw(status, xml, "application/xml; charset=UTF-8");
}

/** RFC 6266 `content-disposition` with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** The handler behind {@link STORAGE_ROUTE}. */
export function storageHandler(signer: UrlSigner, store: Store): Handler {
  return (ctx) => {
    const { kind = "", id = "", filename = "" } = ctx.params;
    const verdict = signer.verify(
      kind,
      id,
      filename,
      ctx.queryParam("expires") ?? "",
      ctx.queryParam("signature") ?? "",
    );
    if (verdict === "expired") return storageError(403, "ExpiredToken", "The provided token has expired.");
    if (verdict === "invalid") {
      return storageError(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
      );
    }
    const blob = store.blobs.get(`${kind}/${id}`);
    if (!blob || blob.filename !== filename) {
      return storageError(404, "NoSuchKey", "The specified key does not exist.");
    }
    return raw(200, blob.bytes, blob.mediaType, { "content-disposition": contentDisposition(blob.filename) });
  };
}

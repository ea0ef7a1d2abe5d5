/**
 * Seeded randomness. Ids and probabilistic faults draw from separate streams, so adding a fault to a test does not
 * change the ids the rest of the test sees.
 */

/** A deterministic source of numbers in [0, 1). */
export interface Random {
  next(): number;
}

/** Hashes a string seed to 32 bits (FNV-1a), so any string or number makes a usable seed. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for test data. */
export function createRandom(seed: string | number, stream = ""): Random {
  let state = hashSeed(`${seed}:${stream}`);
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Makes Gumloop-looking ids (`sess_xYz789AbCd`, `msg_a1b2c3d4e5`) from a seeded stream. */
export class IdGenerator {
  readonly #random: Random;
  #requests = 0;

  constructor(seed: string | number) {
    this.#random = createRandom(seed, "ids");
  }

  /** `prefix` followed by `length` base-62 characters (no separator is added: pass `"sess_"`, not `"sess"`). */
  next(prefix: string, length = 10): string {
    let id = prefix;
    for (let i = 0; i < length; i++) id += ALPHABET[Math.floor(this.#random.next() * ALPHABET.length)];
    return id;
  }

  /** Request ids are a plain counter: they must not consume the id stream, or retries would shift every id. */
  requestId(): string {
    this.#requests++;
    return `req_${this.#requests.toString().padStart(8, "0")}`;
  }
}

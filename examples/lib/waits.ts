/**
 * What the run is waiting for right now: a Gumloop request, a model reply, or the next scheduled check of a
 * session. The terminal shows it, so a slow or silent server is never just silence, and a timeout can say what
 * it was still waiting for.
 */
import type { Sleep } from "langchain-gumloop";

export interface Wait {
  /** `request` and `model` are answers we wait for; `check` is a poll we scheduled ourselves. */
  readonly kind: "request" | "model" | "check";
  /** Completes "Waiting for …", e.g. `Gumloop at https://… to answer list_all_gumloop_agents`. */
  readonly what: string;
  /** When the wait began (epoch ms). */
  readonly since: number;
  /** When a scheduled check is due (epoch ms); absent for answers. */
  readonly until?: number;
}

export class Waits {
  readonly #open = new Map<number, Wait>();
  #next = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a wait; call the returned function when it is over. */
  begin(kind: Wait["kind"], what: string, durationMs?: number): () => void {
    const key = this.#next++;
    const since = this.now();
    this.#open.set(key, {
      kind,
      what,
      since,
      ...(durationMs === undefined ? {} : { until: since + durationMs }),
    });
    return () => this.#open.delete(key);
  }

  /**
   * The wait worth showing: an answer we wait for (the longest-running one) before a scheduled check, because
   * a check that is due only means the run is on schedule.
   */
  current(): Wait | null {
    let shown: Wait | null = null;
    for (const wait of this.#open.values()) {
      if (!shown || rank(wait) > rank(shown) || (rank(wait) === rank(shown) && wait.since < shown.since))
        shown = wait;
    }
    return shown;
  }

  /** A sleep that records itself as the next check of `what` (wrap the graph's sleep with it). */
  sleepAs(what: string, sleep: Sleep): Sleep {
    return (ms, signal) => {
      const done = this.begin("check", what, ms);
      return sleep(ms, signal).finally(done);
    };
  }
}

const rank = (wait: Wait) => (wait.kind === "check" ? 0 : 1);

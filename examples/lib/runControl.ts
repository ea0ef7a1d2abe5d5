/**
 * One AbortSignal for the whole run, and why it fired: `--timeout` (which bounds everything, model turns and
 * Gumloop requests included, not only the session's wait), Ctrl-C, or a Gumloop failure no model turn can fix.
 * Every model call, tool and graph gets this signal, so stopping is immediate wherever the run is.
 */

export type StopReason =
  | { readonly kind: "timeout" }
  | { readonly kind: "interrupted" }
  | { readonly kind: "gumloop"; readonly error: unknown };

/** The longest delay setTimeout honours; a longer --timeout is as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RunControl {
  readonly deadlineAt: number;
  readonly timeoutSeconds: number;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #onSigint = () => this.stop({ kind: "interrupted" });
  #reason: StopReason | null = null;

  constructor(timeoutSeconds: number, now: () => number = Date.now) {
    this.timeoutSeconds = timeoutSeconds;
    const ms = Math.min(timeoutSeconds * 1_000, MAX_TIMER_MS);
    this.deadlineAt = now() + ms;
    this.#timer = setTimeout(() => this.stop({ kind: "timeout" }), ms);
    process.once("SIGINT", this.#onSigint);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the run was stopped, or null while it goes on. */
  get reason(): StopReason | null {
    return this.#reason;
  }

  /** Stops the run; the first reason wins. */
  stop(reason: StopReason): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#controller.abort(new Error(`run stopped: ${reason.kind}`));
  }

  /** Milliseconds left before --timeout. */
  remainingMs(now: () => number = Date.now): number {
    return Math.max(0, this.deadlineAt - now());
  }

  dispose(): void {
    clearTimeout(this.#timer);
    process.removeListener("SIGINT", this.#onSigint);
  }
}

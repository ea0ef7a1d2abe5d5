/**
 * Live progress for the terminal. On a TTY, one status line redrawn ten times a second, so it never freezes:
 * the spinner turns, the elapsed time counts, and between polls it shows when the next check is due; a slow
 * answer shows what is being waited for. Elsewhere (CI logs, pipes) one line per progress event, plus a line that
 * says what the run waits for when an answer is slow, so a log never goes silent without a reason.
 */
import type { GumloopProgressEvent } from "langchain-gumloop/graphs";
import type { Wait, Waits } from "./waits.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The part of a stream the printer writes to (process.stdout, or a fake in tests). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** The terminal's width: the status line is cut to fit, since a wrapped line cannot be redrawn in place. */
  readonly columns?: number;
}

export interface ProgressPrinterOptions {
  readonly waits: Waits;
  /** When `--timeout` ends the run (epoch ms). */
  readonly deadlineAt: number;
  /** @default process.stdout */
  readonly stream?: ProgressStream;
  /** @default Date.now */
  readonly now?: () => number;
  /** How long an answer may take before it is called out (TTY: in the status line; logs: a line). @default 2000 */
  readonly quietMs?: number;
  /** In logs, how often a long wait is called out again. @default 10000 */
  readonly repeatMs?: number;
}

const seconds = (ms: number) => `${Math.max(0, Math.ceil(ms / 1000))} s`;

export class ProgressPrinter {
  readonly #stream: ProgressStream;
  readonly #waits: Waits;
  readonly #deadlineAt: number;
  readonly #now: () => number;
  readonly #quietMs: number;
  readonly #repeatMs: number;
  #frame = 0;
  #open = false;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #last: { event: GumloopProgressEvent; at: number } | null = null;
  #announced: { wait: Wait; at: number } | null = null;

  constructor(options: ProgressPrinterOptions) {
    this.#stream = options.stream ?? process.stdout;
    this.#waits = options.waits;
    this.#deadlineAt = options.deadlineAt;
    this.#now = options.now ?? Date.now;
    this.#quietMs = options.quietMs ?? 2_000;
    this.#repeatMs = options.repeatMs ?? 10_000;
  }

  get isTTY(): boolean {
    return Boolean(this.#stream.isTTY);
  }

  /** Starts the clock that keeps the status line moving (TTY) or calls out long waits (logs). */
  start(): void {
    this.#ticker ??= setInterval(() => this.tick(), this.isTTY ? 100 : 500);
    this.#ticker.unref();
  }

  /** One step of that clock; public so tests can drive it without waiting. */
  tick(): void {
    if (this.isTTY) this.#redraw();
    else this.#announceLongWait();
  }

  event(event: GumloopProgressEvent): void {
    this.#last = { event, at: this.#now() };
    if (this.isTTY) {
      this.#redraw();
      return;
    }
    const queue = event.queuePosition === null ? "-" : String(event.queuePosition);
    this.#stream.write(
      `[progress] job=${event.job} id=${event.id} state=${event.state} polls=${event.polls} queue=${queue} ` +
        `elapsed=${(event.elapsedMs / 1000).toFixed(1)}s\n`,
    );
  }

  /** Prints a line of its own, above the status line. */
  line(text: string): void {
    this.#clear();
    this.#stream.write(`${text}\n`);
    if (this.isTTY && this.#ticker) this.#redraw();
  }

  /** Stops the clock and removes the status line. */
  stop(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#clear();
  }

  #clear(): void {
    if (this.#open) this.#stream.write("\r\x1b[2K");
    this.#open = false;
  }

  #redraw(): void {
    const status = this.#status();
    if (status === null) return;
    const line = `${SPINNER[this.#frame++ % SPINNER.length]} ${status}`;
    const width = this.#stream.columns;
    this.#stream.write(`\r\x1b[2K${width && line.length >= width ? `${line.slice(0, width - 2)}…` : line}`);
    this.#open = true;
  }

  /** The status line's text, or null when nothing is under way. */
  #status(): string | null {
    const now = this.#now();
    const wait = this.#waits.current();
    const left = ` · ${seconds(this.#deadlineAt - now)} left`;
    if (wait && wait.kind !== "check" && (now - wait.since >= this.#quietMs || !this.#last))
      return `waiting for ${wait.what} · ${seconds(now - wait.since)}${left}`;
    const next = wait?.until === undefined ? " · checking" : ` · next check in ${seconds(wait.until - now)}`;
    if (!this.#last) return wait ? `starting${next}${left}` : null;
    const { event, at } = this.#last;
    const queue = event.queuePosition === null ? "-" : String(event.queuePosition);
    const elapsed = ((event.elapsedMs + now - at) / 1000).toFixed(1);
    return `${event.job} ${event.id} · ${event.state} · poll ${event.polls} · queue ${queue} · ${elapsed}s${next}${left}`;
  }

  /** In logs: says what the run waits for once an answer is slow, and again every `repeatMs` while it stays so. */
  #announceLongWait(): void {
    const now = this.#now();
    const wait = this.#waits.current();
    if (!wait || wait.kind === "check" || now - wait.since < this.#quietMs) return;
    if (this.#announced?.wait === wait && now - this.#announced.at < this.#repeatMs) return;
    this.#announced = { wait, at: now };
    this.#stream.write(
      `Waiting for ${wait.what}: ${seconds(now - wait.since)} so far; --timeout ends the run in ` +
        `${seconds(this.#deadlineAt - now)}.\n`,
    );
  }
}

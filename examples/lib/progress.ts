/** Live progress for the terminal: one redrawn line on a TTY, one line per event otherwise (CI logs). */
import type { GumloopProgressEvent } from "langchain-gumloop";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class ProgressPrinter {
  #frame = 0;
  #open = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  get isTTY(): boolean {
    return Boolean(this.stream.isTTY);
  }

  event(event: GumloopProgressEvent): void {
    const queue = event.queuePosition === null ? "-" : String(event.queuePosition);
    const elapsed = (event.elapsedMs / 1000).toFixed(1);
    if (this.isTTY) {
      const spin = SPINNER[this.#frame++ % SPINNER.length];
      this.stream.write(
        `\r\x1b[2K${spin} ${event.job} ${event.id} · ${event.state} · poll ${event.polls} · queue ${queue} · ${elapsed}s`,
      );
      this.#open = true;
    } else {
      this.stream.write(
        `[progress] job=${event.job} id=${event.id} state=${event.state} polls=${event.polls} queue=${queue} elapsed=${elapsed}s\n`,
      );
    }
  }

  /** Ends the redrawn line, if one is open. */
  done(): void {
    if (this.#open) this.stream.write("\n");
    this.#open = false;
  }
}

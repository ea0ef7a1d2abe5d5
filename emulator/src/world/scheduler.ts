/**
 * Jobs and concurrency slots on clock time, evaluated lazily.
 *
 * Nothing here runs on a timer. Every transition (a job finishing, a queued job taking the freed slot, an export
 * moving to IN_PROGRESS) is an event with a due time; `settle(now)` replays all due events in time order. The
 * server settles at the start of every request, so a client that polls sees exactly what a timer-driven server
 * would have shown at that instant, and a virtual clock can skip hours without anything firing in between.
 *
 * Slots follow Gumloop's plans (docs "rate limits"): a pool ("agents" for agent interactions, "flows" for flow
 * runs) per account (organization). Free/Pro reject overflow; Enterprise queues it, first in first out.
 */

/** Which concurrency pool a job counts against. */
export type PoolName = "agents" | "flows";

/** What to do when every slot is taken. */
export type Overflow = "reject" | "queue";

/** Lifecycle of a job. */
export type JobState = "queued" | "running" | "finished" | "cancelled";

/** What to run. */
export interface JobSpec {
  /** Pool the job takes a slot in. */
  pool: PoolName;
  /** Concurrency scope (the emulator uses the organization id). */
  account: string;
  /** Queue-position grouping (sessions use the agent id: Gumloop reports a per-agent queue position). */
  group?: string;
  /** Run time once started, in clock ms. */
  durationMs: number;
  /** Overrides the plan's overflow behaviour for this job. */
  overflow?: Overflow;
  /** Called when the job takes a slot (immediately on submit, or later when dequeued). */
  onStart?(at: number, job: Job): void;
  /** Called when the run time is over; the slot is released right after. */
  onFinish(at: number, job: Job): void;
}

/** A submitted job. */
export interface Job {
  readonly id: number;
  readonly spec: JobSpec;
  state: JobState;
  readonly enqueuedAt: number;
  startedAt: number | null;
  endsAt: number | null;
}

/** Outcome of {@link Scheduler.submit}. */
export type SubmitResult =
  { ok: true; job: Job } | { ok: false; limit: number; running: number; earliestEndAt: number | null };

/** A scheduled one-off transition. */
export interface TimedEvent {
  readonly time: number;
  /** Drops the event if it has not fired yet. */
  cancel(): void;
}

interface EventEntry {
  time: number;
  seq: number;
  fn: (at: number) => void;
  cancelled: boolean;
}

/** Counts for one pool of one account. */
export interface PoolStats {
  limit: number;
  running: number;
  queued: number;
}

/** The emulator's job table. One instance per emulator. */
export class Scheduler {
  readonly #limits: Record<PoolName, number>;
  readonly #overflow: Overflow;
  readonly #events: EventEntry[] = [];
  readonly #jobs = new Map<number, Job>();
  readonly #running = new Map<string, Job[]>();
  readonly #queues = new Map<string, Job[]>();
  readonly #endEvents = new Map<number, TimedEvent>();
  #seq = 0;
  #nextJobId = 1;
  #settledTo = -Infinity;

  constructor(limits: Record<PoolName, number>, overflow: Overflow) {
    this.#limits = { ...limits };
    this.#overflow = overflow;
  }

  /** Slot count of a pool. */
  limit(pool: PoolName): number {
    return this.#limits[pool];
  }

  /** The plan's overflow behaviour. */
  get overflow(): Overflow {
    return this.#overflow;
  }

  /** A job by id (finished and cancelled jobs stay readable). */
  job(id: number): Job | undefined {
    return this.#jobs.get(id);
  }

  /** Schedules `fn` at clock time `time` (run by the first `settle` that reaches it). */
  at(time: number, fn: (at: number) => void): TimedEvent {
    const entry: EventEntry = { time, seq: this.#seq++, fn, cancelled: false };
    // Sorted by (time, seq): equal times fire in scheduling order.
    let i = this.#events.length;
    while (i > 0 && this.#events[i - 1]!.time > time) i--;
    this.#events.splice(i, 0, entry);
    return {
      time,
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Replays every event due at or before `now`, in time order. */
  settle(now: number): void {
    for (;;) {
      const next = this.#events[0];
      if (!next || next.time > now) break;
      this.#events.shift();
      if (!next.cancelled) next.fn(next.time);
    }
    this.#settledTo = Math.max(this.#settledTo, now);
  }

  /** When the next scheduled event is due, or null when none is (for waits that must wake at the next change). */
  nextEventTime(): number | null {
    for (const event of this.#events) if (!event.cancelled) return event.time;
    return null;
  }

  /** Latest instant `settle` has reached. */
  get settledTo(): number {
    return this.#settledTo;
  }

  /**
   * Starts a job at `now` if a slot is free (and nobody is queued ahead), else queues or rejects it per
   * `spec.overflow` (default: the plan's behaviour).
   */
  submit(spec: JobSpec, now: number): SubmitResult {
    const key = poolKey(spec.pool, spec.account);
    const running = this.#list(this.#running, key);
    const queue = this.#list(this.#queues, key);
    const hasSlot = running.length < this.#limits[spec.pool] && queue.length === 0;
    if (!hasSlot && (spec.overflow ?? this.#overflow) === "reject") {
      return {
        ok: false,
        limit: this.#limits[spec.pool],
        running: running.length,
        earliestEndAt: this.earliestEnd(spec.pool, spec.account),
      };
    }
    const job: Job = {
      id: this.#nextJobId++,
      spec,
      state: "queued",
      enqueuedAt: now,
      startedAt: null,
      endsAt: null,
    };
    this.#jobs.set(job.id, job);
    if (hasSlot) this.#start(job, now);
    else queue.push(job);
    return { ok: true, job };
  }

  /** Stops a queued or running job at `at`, freeing its slot. Returns false if it had already ended. */
  cancel(job: Job, at: number): boolean {
    const key = poolKey(job.spec.pool, job.spec.account);
    if (job.state === "queued") {
      removeFrom(this.#list(this.#queues, key), job);
      job.state = "cancelled";
      return true;
    }
    if (job.state === "running") {
      removeFrom(this.#list(this.#running, key), job);
      this.#endEvents.get(job.id)?.cancel();
      this.#endEvents.delete(job.id);
      job.state = "cancelled";
      this.#drain(job.spec.pool, job.spec.account, at);
      return true;
    }
    return false;
  }

  /** 1-based position of a queued job among queued jobs of the same group; null when not queued. */
  queuePosition(job: Job): number | null {
    if (job.state !== "queued") return null;
    const queue = this.#list(this.#queues, poolKey(job.spec.pool, job.spec.account));
    const peers = queue.filter((other) => other.spec.group === job.spec.group);
    const index = peers.indexOf(job);
    return index < 0 ? null : index + 1;
  }

  /** When the earliest running job of a pool ends, or null if none is running. */
  earliestEnd(pool: PoolName, account: string): number | null {
    const running = this.#list(this.#running, poolKey(pool, account));
    let earliest: number | null = null;
    for (const job of running)
      if (job.endsAt !== null && (earliest === null || job.endsAt < earliest)) earliest = job.endsAt;
    return earliest;
  }

  /** Counts for a pool, for one account or summed over all accounts. */
  stats(pool: PoolName, account?: string): PoolStats {
    let running = 0;
    let queued = 0;
    for (const [key, jobs] of this.#running) if (matches(key, pool, account)) running += jobs.length;
    for (const [key, jobs] of this.#queues) if (matches(key, pool, account)) queued += jobs.length;
    return { limit: this.#limits[pool], running, queued };
  }

  #start(job: Job, at: number): void {
    const key = poolKey(job.spec.pool, job.spec.account);
    job.state = "running";
    job.startedAt = at;
    job.endsAt = at + Math.max(0, job.spec.durationMs);
    this.#list(this.#running, key).push(job);
    this.#endEvents.set(
      job.id,
      this.at(job.endsAt, (end) => this.#finish(job, end)),
    );
    job.spec.onStart?.(at, job);
  }

  #finish(job: Job, at: number): void {
    if (job.state !== "running") return;
    const key = poolKey(job.spec.pool, job.spec.account);
    removeFrom(this.#list(this.#running, key), job);
    this.#endEvents.delete(job.id);
    job.state = "finished";
    job.spec.onFinish(at, job);
    this.#drain(job.spec.pool, job.spec.account, at);
  }

  /** Starts queued jobs, oldest first, while slots are free. */
  #drain(pool: PoolName, account: string, at: number): void {
    const key = poolKey(pool, account);
    const running = this.#list(this.#running, key);
    const queue = this.#list(this.#queues, key);
    while (queue.length > 0 && running.length < this.#limits[pool]) this.#start(queue.shift()!, at);
  }

  #list(map: Map<string, Job[]>, key: string): Job[] {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  }
}

function poolKey(pool: PoolName, account: string): string {
  return `${pool}\u0000${account}`;
}

function matches(key: string, pool: PoolName, account: string | undefined): boolean {
  return account === undefined ? key.startsWith(`${pool}\u0000`) : key === poolKey(pool, account);
}

function removeFrom(list: Job[], job: Job): void {
  const i = list.indexOf(job);
  if (i >= 0) list.splice(i, 1);
}

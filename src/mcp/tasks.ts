/**
 * MCP tasks for the job tools: a task store that knows which job each task follows. A client's `tasks/cancel`
 * (which the SDK turns into a status update on the store) cancels the job on Gumloop; `tasks/get` suggests the
 * job's own backoff as the next poll interval instead of a fixed one.
 */
import { InMemoryTaskStore } from "@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js";
import type {
  CreateTaskOptions,
  TaskStore,
} from "@modelcontextprotocol/sdk/experimental/tasks/interfaces.js";
import type { Request, RequestId, Result, Task } from "@modelcontextprotocol/sdk/types.js";
import type { GumloopMcpJobs, Job } from "./jobs.js";

/** A task store whose tasks follow jobs. */
export class JobTaskStore implements TaskStore {
  readonly #inner = new InMemoryTaskStore();
  readonly #jobs: GumloopMcpJobs;
  readonly #following = new Map<string, Job>();

  constructor(jobs: GumloopMcpJobs) {
    this.#jobs = jobs;
  }

  /** Makes task `taskId` follow `job`: its result becomes the task's result. */
  follow(taskId: string, job: Job, sessionId: string | undefined): void {
    this.#following.set(taskId, job);
    void job.result.then(async (result) => {
      this.#following.delete(taskId);
      // A task cancelled by its client is terminal already; the store refuses a second result, which is fine.
      await this.#inner
        .storeTaskResult(taskId, result.isError ? "failed" : "completed", result, sessionId)
        .catch(() => {});
    });
  }

  createTask(
    params: CreateTaskOptions,
    requestId: RequestId,
    request: Request,
    sessionId?: string,
  ): Promise<Task> {
    return this.#inner.createTask(params, requestId, request, sessionId);
  }

  async getTask(taskId: string, sessionId?: string): Promise<Task | null> {
    const task = await this.#inner.getTask(taskId, sessionId);
    const job = this.#following.get(taskId);
    return task && job ? { ...task, pollInterval: this.#jobs.pollIntervalMs(job) } : task;
  }

  storeTaskResult(
    taskId: string,
    status: "completed" | "failed",
    result: Result,
    sessionId?: string,
  ): Promise<void> {
    return this.#inner.storeTaskResult(taskId, status, result, sessionId);
  }

  getTaskResult(taskId: string, sessionId?: string): Promise<Result> {
    return this.#inner.getTaskResult(taskId, sessionId);
  }

  async updateTaskStatus(
    taskId: string,
    status: Task["status"],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    await this.#inner.updateTaskStatus(taskId, status, statusMessage, sessionId);
    const job = this.#following.get(taskId);
    if (status === "cancelled" && job) {
      this.#following.delete(taskId);
      void this.#jobs.cancel(job, "task cancelled by the client");
    }
  }

  listTasks(cursor?: string, sessionId?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    return this.#inner.listTasks(cursor, sessionId);
  }

  /** Drops every task and its cleanup timer. */
  cleanup(): void {
    this.#inner.cleanup();
  }
}

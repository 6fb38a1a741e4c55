/**
 * Cancels that cross processes. The web server that receives a cancel is usually not the worker
 * running the turn, and it does not know which worker that is: it leaves a key per cancelled task
 * (for workers that start or restart the job later) and publishes the task id on one channel
 * every worker listens to (for the worker running it now).
 * @module
 */
import type { Redis } from 'ioredis';

export interface TurnCancelsOptions {
  /** The commands connection (SET, EXISTS, PUBLISH). */
  redis: Redis;
  prefix: string;
  /**
   * How long a cancel is remembered. It must outlive the job's time in the queue, which the
   * session's in-flight key bounds: the same TTL does.
   */
  ttlMs: number;
}

export class TurnCancels {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;
  #subscriber: Redis | null = null;

  constructor(options: TurnCancelsOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#ttlMs = options.ttlMs;
  }

  get #channel(): string {
    return `${this.#prefix}:cancel`;
  }

  #key(taskId: string): string {
    return `${this.#prefix}:cancel:{${taskId}}`;
  }

  /**
   * Mark the task cancelled, then tell the workers. Key first: a worker that starts the job after
   * the publish went out finds the key, and one that started before hears the publish.
   */
  async request(taskId: string): Promise<void> {
    await this.#redis.set(this.#key(taskId), '1', 'PX', this.#ttlMs);
    await this.#redis.publish(this.#channel, taskId);
  }

  /** Whether the task was cancelled; a worker asks after registering the job's controller. */
  async isCancelled(taskId: string): Promise<boolean> {
    return (await this.#redis.exists(this.#key(taskId))) === 1;
  }

  /** Drop the cancel (the turn committed before it landed: a re-run must replay it, not fail). */
  async forget(taskId: string): Promise<void> {
    await this.#redis.del(this.#key(taskId));
  }

  /**
   * Call `onCancel` with every task id cancelled from now on. `subscriber` becomes a dedicated
   * subscriber connection (ioredis subscribes it again after a reconnect). Resolves once
   * subscribed: jobs should only start after that, or a cancel could slip between the worker's
   * key check and its subscription.
   */
  async listen(subscriber: Redis, onCancel: (taskId: string) => void): Promise<void> {
    this.#subscriber = subscriber;
    subscriber.on('message', (channel: string, taskId: string) => {
      if (channel === this.#channel) onCancel(taskId);
    });
    await subscriber.subscribe(this.#channel);
  }

  close(): void {
    this.#subscriber?.disconnect();
    this.#subscriber = null;
  }
}

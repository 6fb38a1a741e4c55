import type { SocketSlot, SocketSlots } from '../../domain/ports/socket-slots.js';

/** {@link SocketSlots} for one process: a count per user. */
export class InMemorySocketSlots implements SocketSlots {
  readonly #counts = new Map<string, number>();

  async acquire(userId: string, limit: number): Promise<SocketSlot | null> {
    const held = this.#counts.get(userId) ?? 0;
    if (held >= limit) return null;
    this.#counts.set(userId, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const n = (this.#counts.get(userId) ?? 1) - 1;
        if (n <= 0) this.#counts.delete(userId);
        else this.#counts.set(userId, n);
      },
    };
  }

  async count(userId: string): Promise<number> {
    return this.#counts.get(userId) ?? 0;
  }

  async close(): Promise<void> {
    this.#counts.clear();
  }
}

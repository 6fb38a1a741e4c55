// The embedded database's wire: PostgreSQL's protocol on a Unix socket, in front of one PGlite.
// Plain ESM (it runs on the database thread, without the TypeScript loader).
//
// PGlite is one backend session, so every connection shares it. pglite-socket served that by
// running each protocol message as it came, which held the main thread to one connection: its
// statements were sent one at a time, and between two of them the backend sat idle for a round
// trip and for however long the main thread took to notice the reply. With 100 players that wait
// was most of a turn's load stage. Here each connection's messages run as whole units (up to Sync,
// a simple Query or Flush) in arrival order, so the main thread can keep several connections'
// statements queued and the backend never waits for it. What makes sharing one session safe:
// - a unit runs whole, so no connection sees another's unnamed statement or portal;
// - an open transaction belongs to its connection: until it ends, only that connection's units
//   run (and it is rolled back if the connection goes away mid-transaction);
// - named statements and portals are renamed per connection ("c<id>_<name>"), so two connections
//   may prepare the same name, and a connection's statements are deallocated when it closes.
import { createServer } from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TYPE = { parse: 0x50, bind: 0x42, describe: 0x44, close: 0x43, execute: 0x45, sync: 0x53, query: 0x51, flush: 0x48, terminate: 0x58 };
const STATEMENT = 0x53;
/** What a job returns to keep the session for its connection (a unit that ended with Flush, before its Sync). */
const HOLD = Symbol('hold');

/** Runs jobs one at a time on the one session; while a transaction is open, only its connection's. */
class SessionQueue {
  #jobs = [];
  #holder = null;
  #draining = false;

  constructor(db) {
    this.db = db;
  }

  /**
   * Queue `job` for `owner` (a connection, or null for the thread's own work); resolves with its
   * result. `first`: ahead of everything queued.
   */
  run(owner, job, { first = false } = {}) {
    return new Promise((resolve, reject) => {
      this.#jobs[first ? 'unshift' : 'push']({ owner, job, resolve, reject });
      void this.#drain();
    });
  }

  /** Forget `owner`'s queued work; roll back its transaction if it holds one. */
  async release(owner) {
    this.#jobs = this.#jobs.filter((j) => j.owner !== owner || (j.reject(new Error('connection closed')), false));
    if (this.#holder === owner) {
      // Before anything else runs: the next unit must not land inside the abandoned transaction.
      this.#holder = null;
      await this.run(null, () => this.db.exec('ROLLBACK'), { first: true }).catch(() => undefined);
    }
    void this.#drain();
  }

  async #drain() {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (;;) {
        const at = this.#holder === null ? 0 : this.#jobs.findIndex((j) => j.owner === this.#holder);
        if (at < 0 || at >= this.#jobs.length) return;
        const [next] = this.#jobs.splice(at, 1);
        let holds = false;
        try {
          const result = await next.job();
          holds = result === HOLD;
          next.resolve(result);
        } catch (err) {
          next.reject(err);
        }
        this.#holder = next.owner !== null && (holds || this.db.isInTransaction()) ? next.owner : null;
      }
    } finally {
      this.#draining = false;
    }
  }
}

/** Read a NUL-terminated string at `at`: [text, offset after the NUL]. */
function cstring(buf, at) {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
}

/** A typed message with its body rebuilt from `parts` (Buffers). */
function message(type, parts) {
  const body = Buffer.concat(parts);
  const head = Buffer.allocUnsafe(5);
  head[0] = type;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const z = (text) => Buffer.from(`${text}\0`, 'utf8');

/** One client connection: splits its bytes into messages, renames its named objects, runs units. */
class Connection {
  static #nextId = 1;
  #buffer = Buffer.alloc(0);
  #unit = [];
  #started = false;
  #ended = false;
  #prefix;
  /** Renamed statements this connection prepared (deallocated when it closes). */
  #statements = new Set();

  constructor(socket, queue) {
    this.socket = socket;
    this.queue = queue;
    this.#prefix = `c${Connection.#nextId++}_`;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.#receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.#closed());
  }

  #receive(chunk) {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let at = 0;
    while (!this.#ended) {
      if (!this.#started) {
        if (this.#buffer.length - at < 8) break;
        const length = this.#buffer.readInt32BE(at);
        if (this.#buffer.length - at < length) break;
        this.#startup(this.#buffer.subarray(at, at + length));
        at += length;
        continue;
      }
      if (this.#buffer.length - at < 5) break;
      const length = this.#buffer.readInt32BE(at + 1) + 1;
      if (this.#buffer.length - at < length) break;
      this.#typed(this.#buffer.subarray(at, at + length));
      at += length;
    }
    this.#buffer = at === this.#buffer.length ? Buffer.alloc(0) : this.#buffer.subarray(at);
  }

  #startup(msg) {
    const code = msg.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) return void this.socket.write('N');
    if (code === CANCEL_REQUEST) {
      this.#ended = true;
      return void this.socket.destroy();
    }
    this.#started = true;
    // Copied: the receive buffer is reused once this returns, the queue runs later.
    this.#send(Buffer.from(msg));
  }

  #typed(msg) {
    const type = msg[0];
    if (type === TYPE.terminate) {
      this.#ended = true;
      return void this.socket.end();
    }
    this.#unit.push(this.#renamed(type, msg));
    if (type === TYPE.sync || type === TYPE.query || type === TYPE.flush) {
      const unit = this.#unit.length === 1 ? this.#unit[0] : Buffer.concat(this.#unit);
      this.#unit = [];
      // After a Flush the statement is still open (its Sync comes later): no one else may run.
      this.#send(unit, type === TYPE.flush);
    }
  }

  /** `msg` with named statements and portals in this connection's namespace (a copy when changed). */
  #renamed(type, msg) {
    const ours = (name) => (name === '' ? '' : this.#prefix + name);
    if (type === TYPE.parse) {
      const [name, next] = cstring(msg, 5);
      if (name === '') return Buffer.from(msg);
      this.#statements.add(ours(name));
      return message(type, [z(ours(name)), msg.subarray(next)]);
    }
    if (type === TYPE.bind) {
      const [portal, afterPortal] = cstring(msg, 5);
      const [statement, next] = cstring(msg, afterPortal);
      if (portal === '' && statement === '') return Buffer.from(msg);
      return message(type, [z(ours(portal)), z(ours(statement)), msg.subarray(next)]);
    }
    if (type === TYPE.describe || type === TYPE.close) {
      const [name] = cstring(msg, 6);
      if (name === '') return Buffer.from(msg);
      if (type === TYPE.close && msg[5] === STATEMENT) this.#statements.delete(ours(name));
      return message(type, [msg.subarray(5, 6), z(ours(name))]);
    }
    if (type === TYPE.execute) {
      const [portal, next] = cstring(msg, 5);
      if (portal === '') return Buffer.from(msg);
      return message(type, [z(ours(portal)), msg.subarray(next)]);
    }
    return Buffer.from(msg);
  }

  #send(bytes, hold = false) {
    const db = this.queue.db;
    const replies = [];
    const onRawData = (data) => replies.push(Buffer.from(data));
    this.queue
      .run(this, async () => {
        await db.runExclusive(() => db.execProtocolRawStream(bytes, { onRawData }));
        return hold ? HOLD : undefined;
      })
      .then(() => {
        if (replies.length > 0 && this.socket.writable) this.socket.write(replies.length === 1 ? replies[0] : Buffer.concat(replies));
      })
      .catch(() => this.socket.destroy());
  }

  async #closed() {
    this.#ended = true;
    await this.queue.release(this);
    if (this.#statements.size === 0) return;
    const names = [...this.#statements].map((n) => `DEALLOCATE "${n.replaceAll('"', '""')}";`).join(' ');
    await this.queue.run(null, () => this.queue.db.exec(names)).catch(() => undefined);
  }
}

/**
 * Serve `db` on the Unix socket `path`. Resolves once listening, with `run(job)` (the thread's own
 * statements, queued with the connections') and `close()`.
 */
export async function serveWire(db, path) {
  const queue = new SessionQueue(db);
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(socket, queue);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return {
    run: (job) => queue.run(null, job),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

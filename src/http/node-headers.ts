/**
 * Headers set on Node's own response instead of through Hono's `c.header()`. A header set through
 * Hono makes it build an undici `Headers` for the response (each name and value validated), which
 * @hono/node-server then converts back into a record for Node: about 50 µs of every request here
 * for the request id, the instance and `secureHeaders`' eleven (bench/README.md, "Players who
 * poll"). Node merges what was set on its response with the route's own headers when it writes
 * them, and a route's own header of the same name wins.
 * Under `app.request()` (tests, no Node response) everything goes through Hono as before.
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';

/** Node's response for this request, when @hono/node-server serves it. */
export function nodeResponse(c: Context): ServerResponse | undefined {
  return (c.env as Partial<HttpBindings> | undefined)?.outgoing;
}

/** Set a response header: on Node's response when there is one, else through Hono. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeResponse(c);
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/**
 * A middleware that only adds the same headers to every response (Hono's `secureHeaders` with
 * fixed options), run once on a probe request to learn them; then they are set on Node's response
 * before each route runs. Headers that depend on the request (a CSP nonce) must not go this way.
 */
export function staticHeaders(middleware: MiddlewareHandler): MiddlewareHandler {
  let learnt: [string, string][] | undefined;
  const probe = new Hono().use(middleware).get('/', (c) => c.body(null));
  const learning = Promise.resolve(probe.request('/')).then((res) => (learnt = [...res.headers.entries()].filter(([name]) => name !== 'content-type')));
  return async (c, next) => {
    const outgoing = nodeResponse(c);
    if (!outgoing) return middleware(c, next);
    for (const [name, value] of learnt ?? (await learning)) outgoing.setHeader(name, value);
    await next();
  };
}

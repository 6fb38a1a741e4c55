/**
 * HTTP for the provider clients: one keep-alive connection pool per process (undici's Dispatcher
 * API, without fetch's web streams), failures as the AI SDK's `APICallError` so retries, fallback
 * chains and error mapping treat every provider alike.
 * @module
 */
import { APICallError } from 'ai';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { StringDecoder } from 'node:string_decoder';
import { Agent, type Dispatcher } from 'undici';
import { abortReason } from '../model-errors.js';
import type { ChatRequest, ChatResult } from './chat-model.js';

/**
 * Connections stay open between turns: a turn makes two calls a second apart, and a new TLS
 * handshake per call would cost more CPU than the call itself.
 */
const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000, connect: { timeout: 10_000 } });

/** An endpoint split once, so each request only names its path. */
export interface Endpoint {
  origin: string;
  path: string;
  url: string;
}

export function endpoint(baseURL: string, suffix: string): Endpoint {
  const url = new URL(`${baseURL.replace(/\/+$/, '')}${suffix}`);
  return { origin: url.origin, path: `${url.pathname}${url.search}`, url: url.href };
}

const MAX_ERROR_BODY = 64 * 1024;

function headerRecord(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The provider's own message from an error body (OpenAI and Anthropic both nest it under `error`). */
function providerMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: an HTML error page from a proxy, say.
  }
  return undefined;
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  let text = '';
  // undici's body yields Buffers whatever setEncoding says; a multi-byte character may span two.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (text.length < MAX_ERROR_BODY) text += decoder.write(chunk);
  }
  return (text + decoder.end()).slice(0, MAX_ERROR_BODY);
}

/** A network failure (refused, reset, DNS) is worth another try, as the AI SDK treats it. */
function networkError(err: unknown, at: Endpoint, body: unknown): APICallError {
  const message = err instanceof Error ? err.message : String(err);
  return new APICallError({ message: `Cannot connect to API: ${message}`, cause: err, url: at.url, requestBodyValues: body, isRetryable: true });
}

/**
 * POST `body` as JSON. Resolves with the response once its status is 2xx; a 4xx/5xx becomes an
 * `APICallError` carrying the status, headers (for Retry-After) and the provider's message.
 */
export async function postJson(at: Endpoint, headers: Record<string, string>, body: unknown, signal: AbortSignal | undefined): Promise<Dispatcher.ResponseData> {
  if (signal?.aborted) throw abortReason(signal);
  let response: Dispatcher.ResponseData;
  try {
    response = await agent.request({
      origin: at.origin,
      path: at.path,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw abortReason(signal);
    throw networkError(err, at, body);
  }
  if (response.statusCode < 300) return response;
  const text = await readCapped(response.body).catch(() => '');
  throw new APICallError({
    message: providerMessage(text) ?? `HTTP ${response.statusCode}`,
    url: at.url,
    requestBodyValues: body,
    statusCode: response.statusCode,
    responseHeaders: headerRecord(response.headers),
    responseBody: text,
  });
}

/** The whole body as JSON; a body that is not JSON is a provider failure (retryable). */
export async function readJson(response: Dispatcher.ResponseData, at: Endpoint, signal: AbortSignal | undefined): Promise<unknown> {
  let text: string;
  try {
    text = await response.body.text();
  } catch (err) {
    if (signal?.aborted) throw abortReason(signal);
    throw networkError(err, at, undefined);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new APICallError({ message: 'Invalid JSON response', cause: err, url: at.url, requestBodyValues: undefined, statusCode: response.statusCode, responseBody: text.slice(0, MAX_ERROR_BODY), isRetryable: true });
  }
}

/**
 * Read a server-sent event stream to its end, calling `onEvent` for each event as it is parsed.
 * `onEvent` may throw (a provider's error event): the connection is closed and the error is
 * what this rejects with. An abort rejects with the signal's reason.
 */
export function readEvents(response: Dispatcher.ResponseData, at: Endpoint, signal: AbortSignal | undefined, onEvent: (event: EventSourceMessage) => void): Promise<void> {
  const body = response.body;
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      body.destroy();
      reject(signal?.aborted ? abortReason(signal) : err);
    };
    const parser = createParser({ onEvent });
    // undici's body yields Buffers whatever setEncoding says; a multi-byte character may span two.
    const decoder = new StringDecoder('utf8');
    body.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        parser.feed(decoder.write(chunk));
      } catch (err) {
        fail(err);
      }
    });
    body.on('end', () => {
      if (!failed) resolve();
    });
    body.on('error', (err) => fail(signal?.aborted ? abortReason(signal) : networkError(err, at, undefined)));
  });
}

/** A stream that ended without the provider's end marker was cut off: another attempt may work. */
export function cutOff(at: Endpoint): APICallError {
  return new APICallError({ message: 'The model stream ended before the reply was complete', url: at.url, requestBodyValues: undefined, isRetryable: true });
}

/** An error the provider reported inside a stream (overloaded, an API error): worth another attempt. */
export function providerError(at: Endpoint, error: { message?: string } | undefined): APICallError {
  return new APICallError({ message: error?.message ?? 'The model reported an error', url: at.url, requestBodyValues: undefined, isRetryable: true, data: error });
}

/** The reply a provider's stream is read into, one event at a time. */
export interface ReplyBuilder {
  readonly result: ChatResult;
  /** A piece of the reply's text (or JSON): appended, and passed on to the listener. */
  text(delta: string | undefined | null): void;
  /** The provider's end marker arrived: the reply is complete. */
  done(): void;
}

/**
 * POST a streaming request and build the reply from its events: `onData` reads one event's data
 * into the builder (and may throw {@link providerError}). A stream that ends before `done()` was
 * cut off, and rejects with {@link cutOff}.
 */
export async function streamReply(
  at: Endpoint,
  headers: Record<string, string>,
  body: unknown,
  request: ChatRequest & { modelId: string; onText: (delta: string) => void },
  onData: (data: string, reply: ReplyBuilder) => void,
): Promise<ChatResult> {
  const response = await postJson(at, headers, body, request.signal);
  const result: ChatResult = { text: '', modelId: request.modelId, usage: {} };
  let complete = false;
  const reply: ReplyBuilder = {
    result,
    text(delta) {
      if (!delta) return;
      result.text += delta;
      request.onText(delta);
    },
    done: () => void (complete = true),
  };
  await readEvents(response, at, request.signal, (event) => onData(event.data, reply));
  if (!complete) throw cutOff(at);
  return result;
}

/** POST a request and read its JSON answer. */
export async function requestJson<T>(at: Endpoint, headers: Record<string, string>, body: unknown, signal: AbortSignal | undefined): Promise<T> {
  return (await readJson(await postJson(at, headers, body, signal), at, signal)) as T;
}

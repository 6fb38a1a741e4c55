/**
 * Types shared by the fake provider servers: scripted replies, recorded requests, the chunk log
 * and the server handle. Provider files re-export them, so tests import from one place.
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Token counts a reply reports; unset fields are estimated (prompt chars / 4, one token per chunk). */
export interface FakeUsage {
  /**
   * Written to the wire field as is: OpenAI `prompt_tokens` (which includes cached tokens) or
   * Anthropic `input_tokens` (which excludes cache reads and writes; the SDK adds them back).
   */
  inputTokens?: number;
  outputTokens?: number;
  /** OpenAI `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`. */
  cachedInputTokens?: number;
  /** Anthropic `cache_creation_input_tokens` (OpenAI `prompt_tokens_details.cache_write_tokens`). */
  cacheWriteTokens?: number;
}

/** Pacing; a reply's own values win over the server's. */
export interface FakeLatency {
  /** Delay before the first streamed chunk (non-streaming: part of the total delay). */
  firstTokenMs?: number;
  /** Delay between chunks (non-streaming: added once per chunk). */
  perChunkMs?: number;
}

/** Plain text, streamed in `chunks` when given (they should join to `text`), else word by word. */
export interface TextReply extends FakeLatency {
  text: string;
  chunks?: string[];
  usage?: FakeUsage;
  /** Provider-native finish reason; default `stop` / `end_turn`. */
  finishReason?: string;
}

/**
 * Structured output. Sent as a tool call when the request offered tools (OpenAI tools, Anthropic's
 * `json` tool), otherwise as message text holding the JSON string.
 */
export interface JsonReply extends FakeLatency {
  json: unknown;
  /** Tool to call when tools were sent; default: the forced tool, else the first one. */
  toolName?: string;
  usage?: FakeUsage;
}

/** An HTTP error; `body` defaults to the provider's error envelope for that status. */
export interface ErrorReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (errors are immediate by default). */
  delayMs?: number;
}

/** Send 200 headers (and, when streaming, optionally one chunk), then never finish. */
export interface StallReply extends FakeLatency {
  stall: true;
  /** Streaming only: write this text as a first chunk (after `firstTokenMs`) before stalling. */
  firstChunk?: string;
}

/** Destroy the socket: at once, or (streaming) after writing the first `afterChunks` chunks of `text`. */
export interface HangUpReply extends FakeLatency {
  hangUp: true;
  afterChunks?: number;
  text?: string;
}

export type FakeReply = TextReply | JsonReply | ErrorReply | StallReply | HangUpReply;

/** One received request, as recorded and as passed to the reply handler. */
export interface FakeRequest {
  /** 0-based arrival order across all paths of this server. */
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /**
   * Parsed JSON body (`{}` when empty or not JSON). `any` on purpose: tests inspect arbitrary
   * wire fields (`body.response_format.json_schema.schema`) and the point is to see what was sent.
   */
  body: Record<string, any>;
  /** Epoch ms (performance.timeOrigin + performance.now()) when the request arrived. */
  receivedAt: number;
  /**
   * Settles when the server is done with the response: `finished` once the whole reply was sent,
   * `aborted` when the connection closed before that (the client aborted the call, or the fake
   * was closed). How a test sees that a model call was really cut off.
   */
  ended: Promise<'finished' | 'aborted'>;
}

/** Decides the reply per request; `undefined` means "use the server's default reply". */
export type ReplyHandler = (req: FakeRequest) => FakeReply | undefined | Promise<FakeReply | undefined>;

/** When a streamed chunk was handed to the socket. */
export interface ChunkLogEntry {
  requestIndex: number;
  chunkIndex: number;
  text: string;
  /** Epoch ms with sub-ms precision, comparable with `performance.timeOrigin + performance.now()` in this process. */
  writtenAt: number;
}

/** Options shared by both fakes. */
export interface FakeServerOptions extends FakeLatency {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; '0.0.0.0' to serve containers or other hosts. */
  host?: string;
  /** Keep `requests` and `chunkLog` (default true). Off for long benchmark runs, which would grow them without bound. */
  record?: boolean;
  /**
   * How long an idle client connection stays open (Node's default: 5 s). Providers keep theirs
   * for a minute or more; a benchmark that closes them sooner measures reconnects, not turns.
   */
  keepAliveTimeoutMs?: number;
  /** Reply (or handler) used until `respond()` is called and whenever a handler returns `undefined`. */
  defaultReply?: FakeReply | ReplyHandler;
}

/** What both fakes expose. */
export interface FakeLlmServer {
  /** `http://127.0.0.1:PORT` (the listening host when one other than 0.0.0.0 was given). */
  readonly url: string;
  /** `url + '/v1'`: what the AI SDK providers take as `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  readonly requests: FakeRequest[];
  readonly chunkLog: ChunkLogEntry[];
  /** Script replies for the following requests (a fixed reply or a handler). */
  respond(reply: FakeReply | ReplyHandler): void;
  /** Forget recorded requests and chunks, and go back to the default reply. */
  reset(): void;
  /** Stop listening and cut every open connection, stalled ones included. */
  close(): Promise<void>;
}

/**
 * The mock-drama SDK for browsers and Node 20: a typed REST client and a reconnecting event
 * stream, with every type generated from the server's OpenAPI document (`npm run sdk:generate`).
 * See docs/protocol.md for the protocol itself.
 * @module
 */
export { createDramaClient, unwrap, type DramaClient, type DramaClientOptions, type TokenSource } from './client.js';
export { DramaApiError, isDramaApiError } from './errors.js';
export { openSessionEvents, type SessionEventStream, type SessionEventStreamOptions, type StreamState, type StreamStatus, type StreamTransport, type WebSocketConstructorLike, type WebSocketLike } from './event-stream.js';
export type * from './types.js';

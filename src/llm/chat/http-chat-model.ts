import type { ChatModel, ChatRequest, ChatResult } from './chat-model.js';
import { requestJson, streamReply, type Endpoint, type ReplyBuilder } from './http.js';

/**
 * A provider spoken over HTTP with JSON bodies and server-sent events: the request, the stream
 * and the whole-reply call are the same for every provider; a subclass says only how its API
 * words a request, a stream event and a reply.
 */
export abstract class HttpChatModel<Reply> implements ChatModel {
  abstract readonly provider: string;

  constructor(
    readonly modelId: string,
    protected readonly at: Endpoint,
    protected readonly headers: Record<string, string>,
  ) {}

  /** The request body (`stream`: a streaming request). */
  protected abstract body(request: ChatRequest, stream: boolean): Record<string, unknown>;
  /** Read one stream event's data into the reply (and call `reply.done()` at the end marker). */
  protected abstract readEvent(data: string, reply: ReplyBuilder): void;
  /** The result of a whole (non-streaming) reply. */
  protected abstract readReply(reply: Reply, request: ChatRequest): ChatResult;

  stream(request: ChatRequest, onText: (delta: string) => void): Promise<ChatResult> {
    return streamReply(this.at, this.headers, this.body(request, true), { ...request, modelId: this.modelId, onText }, (data, reply) => this.readEvent(data, reply));
  }

  async generate(request: ChatRequest): Promise<ChatResult> {
    return this.readReply(await requestJson<Reply>(this.at, this.headers, this.body(request, false), request.signal), request);
  }
}

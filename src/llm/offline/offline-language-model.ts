/**
 * A deterministic, network-free `LanguageModelV3` that plays narrator or judge from the story's
 * own text. It makes the server usable without any LLM (demos, tests, benchmarks) and says
 * plainly what it is: its prose is stage direction built from the story and the player's words.
 * @module
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { countTokens, truncateToTokens } from '../../shared/text.js';
import { messageText, type ChatModel, type ChatRequest, type ChatResult } from '../chat/chat-model.js';
import { promptText, readOfflineCall, type OfflineCall, type OfflineRole } from './offline-call.js';
import { createRng, fnv1a } from './offline-hash.js';
import { decideOffline, DEFAULT_MATCH_THRESHOLD } from './offline-judgement.js';
import { chunkText, composeNarration } from './offline-narration.js';

/** Model ids the offline provider knows; the id sets the default role. */
export type OfflineModelId = 'offline-narrator' | 'offline-judge';

/** Settings for {@link OfflineLanguageModel}. */
export interface OfflineLanguageModelSettings {
  /** Delay before the first output, in ms, to imitate a remote model in benchmarks. Default 0. */
  latencyMs?: number;
  /** Delay between streamed chunks, in ms. Default 0 (chunks still yield to the event loop). */
  chunkDelayMs?: number;
  /** Minimum similarity for the judge to count the input as taking a choice. Default {@link DEFAULT_MATCH_THRESHOLD}. */
  matchThreshold?: number;
}

interface Reply {
  text: string;
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
  chunkSeed: number;
}

function usage(input: number, output: number): LanguageModelV3Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function chatResult(r: Reply, modelId: string): ChatResult {
  return { text: r.text, modelId, usage: { inputTokens: r.usage.inputTokens.total, outputTokens: r.usage.outputTokens.total }, finishReason: r.finishReason.unified };
}

function lastMessageText(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) if (request.messages[i]!.role === 'user') return messageText(request.messages[i]!);
  return '';
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The offline model. Reads the turn from `providerOptions.offline` (see `offlineProviderOptions`),
 * or from the last user message when that is missing. Role: `providerOptions.offline.role`,
 * else the model id (`offline-judge` judges), else JSON response format → judge.
 */
export class OfflineLanguageModel implements LanguageModelV3, ChatModel {
  readonly specificationVersion = 'v3';
  readonly provider = 'offline';
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private readonly settings: Required<OfflineLanguageModelSettings>;

  constructor(modelId: OfflineModelId | (string & {}) = 'offline-narrator', settings: OfflineLanguageModelSettings = {}) {
    this.modelId = modelId;
    this.settings = {
      latencyMs: settings.latencyMs ?? 0,
      chunkDelayMs: settings.chunkDelayMs ?? 0,
      matchThreshold: settings.matchThreshold ?? DEFAULT_MATCH_THRESHOLD,
    };
  }

  private get defaultRole(): OfflineRole | undefined {
    if (this.modelId.includes('judge')) return 'judge';
    if (this.modelId.includes('narrator')) return 'narrator';
    return undefined;
  }

  /** Compose the whole reply; streaming only decides how it is cut up and paced. */
  private compose(call: OfflineCall, maxOutputTokens: number | undefined, seedBase: number, inputText: () => string): Reply {
    const { turn } = call;
    const key = [call.role, turn.storyTitle, turn.storyText, turn.action, turn.input, turn.turnNo, ...turn.choices.map((c) => `${c.index}:${c.text}`)].join('\u0000');
    const seed = fnv1a(key, seedBase);
    let text: string;
    if (call.role === 'judge') {
      text = JSON.stringify(decideOffline(turn, call.narration, this.settings.matchThreshold));
    } else if (call.role === 'single') {
      // Single-call mode: the passage, then the decision on it, as one JSON object.
      const narration = composeNarration(turn, createRng(seed));
      text = JSON.stringify({ narration, decision: decideOffline(turn, narration, this.settings.matchThreshold) });
    } else {
      text = composeNarration(turn, createRng(seed));
    }
    let finishReason: LanguageModelV3FinishReason = { unified: 'stop', raw: 'stop' };
    // A cut judge reply would be invalid JSON anyway, so only narration honours the token cap.
    if (call.role === 'narrator' && maxOutputTokens !== undefined && countTokens(text) > maxOutputTokens) {
      text = truncateToTokens(text, maxOutputTokens);
      finishReason = { unified: 'length', raw: 'length' };
    }
    return { text, finishReason, usage: usage(countTokens(inputText()), countTokens(text)), chunkSeed: seed ^ 0x9e3779b9 };
  }

  private reply(options: LanguageModelV3CallOptions): Reply {
    return this.compose(readOfflineCall(options, this.defaultRole), options.maxOutputTokens, options.seed ?? 0, () => promptText(options.prompt));
  }

  /** The call a {@link ChatRequest} describes: its `offline` turn, else the last user message. */
  private chatReply(request: ChatRequest): Reply {
    const call: OfflineCall = request.offline?.() ?? {
      role: this.defaultRole ?? (request.json ? 'judge' : 'narrator'),
      turn: { storyTitle: '', storyText: '', choices: [], input: lastMessageText(request), action: 'do', turnNo: 0 },
      narration: '',
    };
    return this.compose(call, request.maxOutputTokens, 0, () => request.messages.map(messageText).join('\n'));
  }

  /** {@link ChatModel.generate}: the whole reply, after the configured latency. */
  async generate(request: ChatRequest): Promise<ChatResult> {
    const signal = request.signal;
    if (signal?.aborted) throw abortError(signal);
    const r = this.chatReply(request);
    if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs, undefined, { signal });
    return chatResult(r, this.modelId);
  }

  /** {@link ChatModel.stream}: the same reply in word- or character-sized deltas, paced like a network. */
  async stream(request: ChatRequest, onText: (delta: string) => void): Promise<ChatResult> {
    const signal = request.signal;
    if (signal?.aborted) throw abortError(signal);
    const r = this.chatReply(request);
    const { latencyMs, chunkDelayMs } = this.settings;
    try {
      if (latencyMs > 0) await sleep(latencyMs, undefined, { signal });
      for (const delta of chunkText(r.text, createRng(r.chunkSeed))) {
        if (signal?.aborted) throw abortError(signal);
        onText(delta);
        if (chunkDelayMs > 0) await sleep(chunkDelayMs, undefined, { signal });
        else await yieldToLoop();
      }
    } catch (err) {
      throw signal?.aborted ? abortError(signal) : err;
    }
    return chatResult(r, this.modelId);
  }

  /** The whole reply at once: prose for the narrator, decision JSON for the judge, both as JSON for a single call. */
  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw abortError(signal);
    const r = this.reply(options);
    if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs, undefined, { signal });
    return {
      content: [{ type: 'text', text: r.text }],
      finishReason: r.finishReason,
      usage: r.usage,
      response: { modelId: this.modelId },
      warnings: [],
    };
  }

  /** The same reply as {@link doGenerate}, streamed in word- or character-sized deltas. */
  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw abortError(signal);
    const r = this.reply(options);
    const parts = this.streamParts(r, signal);
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      async pull(controller) {
        const next = await parts.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await parts.return(undefined);
      },
    });
    return { stream };
  }

  private async *streamParts(r: Reply, signal: AbortSignal | undefined): AsyncGenerator<LanguageModelV3StreamPart> {
    const { latencyMs, chunkDelayMs } = this.settings;
    yield { type: 'stream-start', warnings: [] };
    yield { type: 'response-metadata', modelId: this.modelId };
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal });
    yield { type: 'text-start', id: 'text-0' };
    for (const delta of chunkText(r.text, createRng(r.chunkSeed))) {
      if (signal?.aborted) throw abortError(signal);
      yield { type: 'text-delta', id: 'text-0', delta };
      // Yield even without a delay so a consumer sees deltas arrive one by one, as from a network.
      if (chunkDelayMs > 0) await sleep(chunkDelayMs, undefined, { signal });
      else await yieldToLoop();
    }
    yield { type: 'text-end', id: 'text-0' };
    yield { type: 'finish', finishReason: r.finishReason, usage: r.usage };
  }
}

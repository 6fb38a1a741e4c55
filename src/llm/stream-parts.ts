/**
 * What a streamed model call reports besides its text: the model that answered, the token usage,
 * and the failure or abort that ends it. Shared by the streaming narrator and single-call mode.
 * @module
 */
import type { TextStreamPart, ToolSet } from 'ai';
import type { ModelCallInfo } from '../domain/ports/models.js';
import { abortReason } from './model-errors.js';

/** Record a non-text part of `streamText`'s full stream in `info`; throws the call's error or abort. */
export function noteStreamPart(part: TextStreamPart<ToolSet>, info: ModelCallInfo, signal: AbortSignal | undefined): void {
  if (part.type === 'finish-step') {
    if (part.response.modelId) info.modelId = part.response.modelId;
  } else if (part.type === 'finish') {
    info.inputTokens = part.totalUsage.inputTokens;
    info.outputTokens = part.totalUsage.outputTokens;
    info.cachedInputTokens = part.totalUsage.inputTokenDetails?.cacheReadTokens;
  } else if (part.type === 'error') {
    throw part.error;
  } else if (part.type === 'abort') {
    throw signal ? abortReason(signal) : new DOMException('The operation was aborted', 'AbortError');
  }
}

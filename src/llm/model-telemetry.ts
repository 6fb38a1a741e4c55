/**
 * OpenTelemetry spans for model calls, in the AI SDK's telemetry conventions (`ai.streamText`
 * with a child `ai.streamText.doStream`, `ai.generateText` with `ai.generateText.doGenerate`;
 * `ai.telemetry.functionId`, `ai.model.*`, `ai.usage.*`), so dashboards built for the AI SDK keep
 * working now that the hot path calls providers directly. Created through the global tracer under
 * whatever span is current — the turn stage that made the call. Prompts and answers stay out of
 * the spans: they are the players' text and can be large (the turn's own trace,
 * `GET /api/sessions/:id/turns/:n/trace`, keeps them). Undefined `functionId`: no spans, no cost.
 * @module
 */
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { TelemetrySettings } from 'ai';
import type { ChatModel, ChatResult } from './chat/chat-model.js';

/** The AI SDK records its spans under this tracer name. */
const AI_TRACER = 'ai';

export type TracedOperation = 'ai.streamText' | 'ai.generateText';

function ended(span: Span, result: ChatResult | undefined, err: unknown): void {
  if (result) {
    span.setAttributes({
      'ai.response.model': result.modelId,
      ...(result.finishReason ? { 'ai.response.finishReason': result.finishReason } : {}),
      ...(result.usage.inputTokens !== undefined ? { 'ai.usage.inputTokens': result.usage.inputTokens } : {}),
      ...(result.usage.outputTokens !== undefined ? { 'ai.usage.outputTokens': result.usage.outputTokens } : {}),
    });
  } else {
    span.recordException(err instanceof Error ? err : new Error(String(err)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  }
  span.end();
}

/**
 * Run `call` inside an `operation` span and its provider-call child, named for `functionId`.
 * Without a `functionId` it is just `call()`.
 */
export async function traceModelCall(operation: TracedOperation, functionId: string | undefined, model: ChatModel, call: () => Promise<ChatResult>): Promise<ChatResult> {
  if (!functionId) return call();
  const tracer = trace.getTracer(AI_TRACER);
  const attributes = {
    'operation.name': `${operation} ${functionId}`,
    'ai.operationId': operation,
    'ai.telemetry.functionId': functionId,
    'ai.model.provider': model.provider,
    'ai.model.id': model.modelId,
  };
  const inner = operation === 'ai.streamText' ? 'ai.streamText.doStream' : 'ai.generateText.doGenerate';
  return tracer.startActiveSpan(operation, { attributes }, (outer) =>
    tracer.startActiveSpan(inner, { attributes: { ...attributes, 'operation.name': `${inner} ${functionId}`, 'ai.operationId': inner } }, async (span) => {
      let result: ChatResult | undefined;
      let failure: unknown;
      try {
        result = await call();
        return result;
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        ended(span, result, failure);
        ended(outer, result, failure);
      }
    }),
  );
}

/** The same spans for calls that still go through the AI SDK (embeddings): its own telemetry settings. */
export function modelTelemetry(functionId: string | undefined): TelemetrySettings | undefined {
  return functionId ? { isEnabled: true, functionId, recordInputs: false, recordOutputs: false } : undefined;
}

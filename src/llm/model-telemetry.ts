import type { TelemetrySettings } from 'ai';

/**
 * The AI SDK's OpenTelemetry spans for calls made as `functionId` (`ai.streamText`,
 * `ai.generateText.doGenerate`, …, with model, tokens and finish reason), created through the
 * global tracer under whatever span is current — the turn stage that made the call. Prompts and
 * answers stay out of the spans: they are the players' text and can be large (the turn's own trace,
 * `GET /api/sessions/:id/turns/:n/trace`, keeps them). Undefined `functionId`: no spans.
 */
export function modelTelemetry(functionId: string | undefined): TelemetrySettings | undefined {
  return functionId ? { isEnabled: true, functionId, recordInputs: false, recordOutputs: false } : undefined;
}

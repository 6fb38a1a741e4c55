/** Pipeline stages a tracer sees, in the order a turn runs them. */
export type TracedStage = 'load' | 'narrate' | 'judge' | 'apply' | 'embed' | 'commit' | 'publish';

/**
 * Where the turn pipeline shows its stages to a tracer (OpenTelemetry spans, built in
 * `observability/`). The domain only brackets its work and asks for the trace id to record; it
 * never sees a span. Absent from the resource bag, the stages simply run.
 */
export interface TurnTracer {
  /**
   * Run `work` as the stage `name` of the current turn: a child of the turn's span that is current
   * while `work` runs, so model calls made inside nest under it. When `work` returns a promise, the
   * stage ends when that promise settles.
   */
  stage<T>(name: TracedStage, work: () => T): T;
  /** The trace id of the turn being run (recorded with the turn); undefined when it is not traced. */
  traceId(): string | undefined;
}

/** `tracer.stage`, or a plain call when there is no tracer. */
export function stageRunner(tracer: TurnTracer | undefined): <T>(name: TracedStage, work: () => T) => T {
  return tracer ? (name, work) => tracer.stage(name, work) : (_name, work) => work();
}

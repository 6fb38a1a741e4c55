/**
 * A turn's trace across processes. The web process wraps the queue: enqueueing is a span, and its
 * context travels in the job (`TurnJob.traceContext`, W3C `traceparent`), which BullMQ stores as
 * JSON. The worker wraps its turn handler: the `turn` span is a child of that context, and the
 * pipeline's stages are children of `turn` through the domain's {@link TurnTracer} port. The time
 * the job waited in the queue is a span of its own, `turn.queued`, drawn afterwards from the
 * job's `enqueuedAt`.
 * @module
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME } from '@opentelemetry/semantic-conventions';
import type { Clock } from '../domain/ports/clock.js';
import type { EnqueueOptions, JobContext, TurnJob, TurnQueue } from '../domain/ports/turn-queue.js';
import type { CommittedTurn, TurnJobHandlers } from '../domain/ports/turn-worker.js';
import type { TracedStage, TurnTracer } from '../domain/ports/turn-tracer.js';
import { recordFailure, within } from './spans.js';

/** How the queue is named on spans (OpenTelemetry messaging conventions, still incubating: copied, not imported). */
const QUEUE_NAME = 'turns';

/**
 * The queue as the web process uses it, each enqueue a producer span whose context rides in the
 * job. Everything else goes straight to `queue` (a proxy, so methods added to the port pass through).
 */
export function traceQueue(queue: TurnQueue, tracer: Tracer, system: string): TurnQueue {
  const enqueue = (job: TurnJob, options?: EnqueueOptions) => {
    const span = tracer.startSpan('turn.enqueue', {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': system, 'messaging.operation.type': 'send', 'messaging.destination.name': QUEUE_NAME, 'messaging.message.id': job.taskId, 'mock_drama.session.id': job.sessionId },
    });
    const traceContext: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), traceContext);
    return within(span, context.active(), () => queue.enqueue({ ...job, traceContext }, options));
  };
  return new Proxy(queue, {
    get(target, key) {
      if (key === 'enqueue') return enqueue;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The context a job was queued in, or a new trace for a job queued without one. */
function jobParent(job: TurnJob) {
  // Never the context that happens to be active: the in-process queue starts a job from inside
  // another request's (or the previous job's) callbacks.
  return job.traceContext ? propagation.extract(ROOT_CONTEXT, job.traceContext) : ROOT_CONTEXT;
}

/**
 * Wraps the worker's turn job: each attempt is a `turn` span in the trace the job was queued in,
 * from its start to the end of its announcement (which the queue calls once the session is free).
 */
export function traceTurns(tracer: Tracer, clock: Clock, system: string, handlers: TurnJobHandlers): TurnJobHandlers {
  const run = async (job: TurnJob, ctx: JobContext): Promise<CommittedTurn> => {
    const parent = jobParent(job);
    const startedAt = clock.now();
    const attributes: Attributes = {
      'messaging.system': system,
      'messaging.operation.type': 'process',
      'messaging.destination.name': QUEUE_NAME,
      'messaging.message.id': job.taskId,
      'mock_drama.session.id': job.sessionId,
      'mock_drama.turn.attempt': ctx.attempt,
      'mock_drama.turn.action': job.action,
      'mock_drama.queue.wait_ms': Math.max(0, startedAt - job.enqueuedAt),
    };
    // Later attempts waited out a retry backoff too; the metric's queue wait is the first one's.
    if (ctx.attempt === 1) tracer.startSpan('turn.queued', { startTime: Math.min(job.enqueuedAt, startedAt), attributes: { 'messaging.message.id': job.taskId } }, parent).end(startedAt);
    const span = tracer.startSpan('turn', { kind: SpanKind.CONSUMER, attributes }, parent);
    const inTurn = trace.setSpan(parent, span);
    let committed: CommittedTurn;
    try {
      committed = await context.with(inTurn, () => handlers.run(job, ctx));
    } catch (err) {
      recordFailure(span, err);
      span.end();
      throw err;
    }
    span.setAttribute('mock_drama.turn.no', committed.result.turnNo);
    return { result: committed.result, announce: () => within(span, parent, () => context.with(inTurn, () => committed.announce())) };
  };
  return { ...handlers, run };
}

/** What the commit stage is, in database terms. */
const COMMIT_ATTRIBUTES: Attributes = { [ATTR_DB_SYSTEM_NAME]: 'postgresql', [ATTR_DB_OPERATION_NAME]: 'commit_turn' };

/** The domain's {@link TurnTracer}: each stage a span under whatever span is current (the turn's). */
export function createTurnTracer(tracer: Tracer): TurnTracer {
  return {
    stage<T>(name: TracedStage, work: () => T): T {
      const span = tracer.startSpan(`turn.${name}`, name === 'commit' ? { attributes: COMMIT_ATTRIBUTES } : {});
      return within(span, context.active(), work);
    },
    traceId() {
      const span = trace.getActiveSpan();
      return span?.isRecording() ? span.spanContext().traceId : undefined;
    },
  };
}

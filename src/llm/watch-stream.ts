import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';

/** How a model stream ended for its reader. */
export type StreamEnd = 'done' | 'error' | 'cancel';

/**
 * Pass a model stream through unchanged and call `onEnd` once when it finishes, fails or is
 * cancelled by its reader; `onPart` sees each part first. A pull-through stream rather than
 * pipeThrough(TransformStream): one read per part, about a third of the cost per chunk (a
 * narration is hundreds of chunks).
 */
export function watchStream(
  source: ReadableStream<LanguageModelV3StreamPart>,
  onEnd: (end: StreamEnd) => void,
  onPart?: (part: LanguageModelV3StreamPart) => void,
): ReadableStream<LanguageModelV3StreamPart> {
  const reader = source.getReader();
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    onEnd(how);
  };
  return new ReadableStream<LanguageModelV3StreamPart>(
    {
      async pull(controller) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (err) {
          end('error');
          throw err;
        }
        if (next.done) {
          end('done');
          controller.close();
          return;
        }
        onPart?.(next.value);
        controller.enqueue(next.value);
      },
      cancel(reason) {
        end('cancel');
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

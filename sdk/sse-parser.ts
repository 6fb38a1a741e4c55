/**
 * An incremental parser of the Server-Sent Events wire format (the parts our server sends:
 * `id:`, `event:`, `data:` and `:` comments), fed with decoded text as it arrives.
 * @module
 */

export interface SseFrame {
  /** `event:`; absent means "message". */
  event: string | undefined;
  id: string | undefined;
  /** The `data:` lines joined with newlines. */
  data: string;
}

export class SseParser {
  #buffer = '';

  /** Add text; returns the frames it completed (a frame ends at a blank line). */
  push(text: string): SseFrame[] {
    this.#buffer += text;
    const frames: SseFrame[] = [];
    for (;;) {
      const match = /\r\n\r\n|\n\n|\r\r/.exec(this.#buffer);
      if (!match) return frames;
      const block = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const frame = parseBlock(block);
      if (frame) frames.push(frame);
    }
  }
}

function parseBlock(block: string): SseFrame | null {
  let event: string | undefined;
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  // A block of comments only (our keepalives) is not a frame.
  if (event === undefined && id === undefined && data.length === 0) return null;
  return { event, id, data: data.join('\n') };
}

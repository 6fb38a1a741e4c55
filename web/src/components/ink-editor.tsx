/**
 * A plain-text editor for ink with a line-number gutter that marks lines with compile errors.
 * No wrapping, so gutter rows and text lines stay aligned; `goToLine` selects a line.
 * @module
 */
import { useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';

export interface InkEditorHandle {
  goToLine(line: number): void;
}

interface Props {
  id: string;
  value: string;
  onInput(value: string): void;
  errorLines: Set<number>;
  label: string;
  describedBy?: string;
  handle: Ref<InkEditorHandle>;
}

/** Must match `.ink-editor textarea { line-height }` in layout.css. */
const LINE_HEIGHT_PX = 21;

export function InkEditor({ id, value, onInput, errorLines, label, describedBy, handle }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const lineCount = Math.max(1, value.split('\n').length);
  useImperativeHandle(handle, () => ({
    goToLine(line: number) {
      const el = area.current;
      if (!el) return;
      const lines = el.value.split('\n');
      const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
      el.focus();
      el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
      el.scrollTop = Math.max(0, (line - 3) * LINE_HEIGHT_PX);
    },
  }));
  return (
    <div class="ink-editor">
      <div class="ink-gutter" aria-hidden="true">
        <div style={{ transform: `translateY(${-scrollTop}px)` }}>
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} class={errorLines.has(i + 1) ? 'gutter-line has-error' : 'gutter-line'}>
              {i + 1}
            </div>
          ))}
        </div>
      </div>
      <textarea
        id={id}
        ref={area}
        value={value}
        wrap="off"
        spellcheck={false}
        aria-label={label}
        aria-describedby={describedBy}
        aria-invalid={errorLines.size > 0}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
        onScroll={(e) => setScrollTop((e.currentTarget as HTMLTextAreaElement).scrollTop)}
      />
    </div>
  );
}

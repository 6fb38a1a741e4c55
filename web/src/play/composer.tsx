/**
 * Where the player acts: the kind of action (Do, Say, Story, Continue) and the words. Enter
 * sends and Shift+Enter adds a line, except while an input method is composing (Chinese,
 * Japanese…): there Enter confirms the composition and must not send.
 * @module
 */
import { useEffect, useRef } from 'preact/hooks';
import type { ComponentChildren, Ref } from 'preact';
import type { ActionKind } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';

const KINDS: ActionKind[] = ['do', 'say', 'story', 'continue'];

interface Props {
  kind: ActionKind;
  onKind(kind: ActionKind): void;
  text: string;
  onText(text: string): void;
  busy: boolean;
  disabled: boolean;
  onSend(): void;
  /** Stop the running turn; the Send button becomes Stop while `busy`. Absent: Send stays, disabled. */
  onStop?(): void;
  /** A stop is on its way: the button waits. */
  stopping?: boolean;
  inputRef: Ref<HTMLTextAreaElement>;
  /** Shown above the input and kept in view with it (a shared session's table). */
  above?: ComponentChildren;
}

export function Composer({ kind, onKind, text, onText, busy, disabled, onSend, onStop, stopping = false, inputRef, above }: Props) {
  const { t } = useI18n();
  const composing = useRef(false);
  const canSend = !busy && !disabled && (kind === 'continue' || text.trim() !== '');

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    // keyCode 229: Safari ends the composition before the Enter keydown that confirmed it.
    if (e.isComposing || composing.current || e.keyCode === 229) return;
    e.preventDefault();
    if (canSend) onSend();
  };

  // Grow with the text, up to the CSS max-height.
  const local = useRef<HTMLTextAreaElement | null>(null);
  useEffect(() => {
    const el = local.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);

  return (
    <form
      class="composer"
      aria-label={t('composer.label')}
      onSubmit={(e) => {
        e.preventDefault();
        if (canSend) onSend();
      }}
    >
      {above}
      <fieldset class="kinds">
        <legend class="visually-hidden">{t('composer.kind')}</legend>
        {KINDS.map((k) => (
          <label key={k} class={k === kind ? 'kind selected' : 'kind'}>
            <input type="radio" name="action-kind" value={k} checked={k === kind} onChange={() => onKind(k)} />
            <span>{t(`composer.kind.${k}`)}</span>
          </label>
        ))}
      </fieldset>
      <div class="composer-row">
        <textarea
          ref={(el) => {
            local.current = el;
            if (typeof inputRef === 'function') inputRef(el);
            else if (inputRef) inputRef.current = el;
          }}
          rows={1}
          value={text}
          disabled={disabled}
          placeholder={t(`composer.placeholder.${kind}`)}
          aria-label={t('composer.label')}
          aria-describedby="composer-hint"
          onInput={(e) => onText((e.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={onKeyDown}
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={() => (composing.current = false)}
        />
        {busy && onStop ? (
          <button type="button" class="button send stop" disabled={stopping} onClick={onStop}>
            {t('composer.stop')}
          </button>
        ) : (
          <button type="submit" class="button primary send" disabled={!canSend}>
            {t('composer.send')}
          </button>
        )}
      </div>
      <p id="composer-hint" class="composer-hint">
        {t('composer.hint')}
      </p>
    </form>
  );
}

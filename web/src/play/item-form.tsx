/**
 * The form the memories and cards panels edit and add with, and the buttons on each item. Each
 * panel brings its fields ({@link ItemFields}); the form keeps the draft, ignores a submit the
 * fields say is not ready, shows why a save failed, and starts over once one succeeds.
 * @module
 */
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { errorMessage } from '../lib/format.js';

/** What one kind of item puts in the form. `D` is its draft, the values the inputs hold. */
export interface ItemFields<D> {
  /** The form's class, for the panel's styles. */
  formClass: string;
  ready(draft: D): boolean;
  Inputs(props: { draft: D; set(patch: Partial<D>): void }): JSX.Element;
}

interface FormProps<D> {
  fields: ItemFields<D>;
  initial: D;
  submitLabel: string;
  onSave(draft: D): Promise<void>;
  onCancel?: () => void;
}

export function ItemForm<D>({ fields, initial, submitLabel, onSave, onCancel }: FormProps<D>) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!fields.ready(draft)) return;
    try {
      await onSave(draft);
      setDraft(initial);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form class={fields.formClass} onSubmit={submit}>
      <fields.Inputs draft={draft} set={(patch) => setDraft({ ...draft, ...patch })} />
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="form-actions">
        <button type="submit" class="button primary small">
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button quiet small" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * Edit and Delete, after any buttons of the item's own (`children`). With `name`, each button's
 * accessible name says which item it acts on.
 */
export function ItemActions({ name, onEdit, onDelete, children }: { name?: string; onEdit(): void; onDelete(): Promise<void>; children?: ComponentChildren }) {
  const { t } = useI18n();
  const label = (action: string) => (name === undefined ? undefined : `${action}: ${name}`);
  return (
    <>
      {children}
      <button type="button" class="tool" onClick={onEdit} aria-label={label(t('common.edit'))}>
        {t('common.edit')}
      </button>
      <button type="button" class="tool danger" onClick={() => void onDelete()} aria-label={label(t('common.delete'))}>
        {t('common.delete')}
      </button>
    </>
  );
}

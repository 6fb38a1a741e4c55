/**
 * A session's editable items as the memories and cards panels list them: each item shown by the
 * panel's `renderItem` or, while edited, as the form in its place; a note when there are none or the load
 * failed; and a form to add one. The panel brings the API calls; after each one the list reloads.
 * @module
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import type { AsyncState } from '../lib/use-async.js';
import { ItemForm, type ItemFields } from './item-form.js';

/** An item not being edited. `changed` reloads the list after a call of the view's own. */
export interface ItemViewProps<T> {
  item: T;
  edit(): void;
  remove(): Promise<void>;
  changed(): void;
}

interface Props<T, D> {
  state: AsyncState<T[]>;
  reload(): void;
  /** Say "Loading…" until the first list arrives. */
  showLoading?: boolean;
  emptyText: string;
  addText: string;
  /** The class of the <li> that holds the form while an item is edited (with `editing`). */
  itemClass: string;
  fields: ItemFields<D>;
  /** A draft of `item`, or a blank one to add. */
  toDraft(item?: T): D;
  create(draft: D): Promise<unknown>;
  update(item: T, draft: D): Promise<unknown>;
  remove(item: T): Promise<unknown>;
  /** A render prop, not a component, so that the panel can close over its own values. */
  renderItem(props: ItemViewProps<T>): JSX.Element;
}

export function EditableList<T extends { id: string }, D>(props: Props<T, D>) {
  const { t } = useI18n();
  const { state, reload } = props;
  const add = async (draft: D) => {
    await props.create(draft);
    reload();
  };
  return (
    <>
      {props.showLoading && state.status === 'loading' && <p class="muted">{t('common.loading')}</p>}
      {state.status === 'error' && <ErrorNote error={state.error} onRetry={reload} />}
      {state.status === 'ok' &&
        (state.value.length === 0 ? (
          <p class="muted">{props.emptyText}</p>
        ) : (
          <ul class="item-list">
            {state.value.map((item) => (
              <Item key={item.id} item={item} list={props} />
            ))}
          </ul>
        ))}
      <details class="add-block">
        <summary>{props.addText}</summary>
        <ItemForm fields={props.fields} initial={props.toDraft()} submitLabel={t('common.add')} onSave={add} />
      </details>
    </>
  );
}

function Item<T, D>({ item, list }: { item: T; list: Props<T, D> }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const save = async (draft: D) => {
    await list.update(item, draft);
    setEditing(false);
    list.reload();
  };
  const remove = async () => {
    await list.remove(item);
    list.reload();
  };
  if (!editing) return list.renderItem({ item, edit: () => setEditing(true), remove, changed: list.reload });
  return (
    <li class={`${list.itemClass} editing`}>
      <ItemForm fields={list.fields} initial={list.toDraft(item)} submitLabel={t('common.save')} onCancel={() => setEditing(false)} onSave={save} />
    </li>
  );
}

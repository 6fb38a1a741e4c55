/**
 * The session's tools beside the story: memories, story cards, steering the narrator, the context
 * of a turn, export and sharing, as tabs (arrow keys move between them). A sidebar on wide
 * screens, a sheet on phones.
 * @module
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n, type MessageKey } from '../i18n/index.js';

export type PanelTab = 'memories' | 'cards' | 'narrator' | 'players' | 'context' | 'share';
const TABS: { id: PanelTab; label: MessageKey }[] = [
  { id: 'memories', label: 'panel.memories' },
  { id: 'cards', label: 'panel.cards' },
  { id: 'narrator', label: 'panel.narrator' },
  { id: 'players', label: 'panel.players' },
  { id: 'context', label: 'panel.context' },
  { id: 'share', label: 'panel.share' },
];

interface Props {
  tab: PanelTab;
  onTab(tab: PanelTab): void;
  onClose(): void;
  /** Move the focus into the panel when it opens (the player opened it; not on page load). */
  focusOnOpen: boolean;
  children: ComponentChildren;
}

export function SidePanel({ tab, onTab, onClose, focusOnOpen, children }: Props) {
  const { t } = useI18n();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => {
    if (focusOnOpen) tabs.current[TABS.findIndex((x) => x.id === tab)]?.focus();
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex((x) => x.id === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length]!;
    onTab(target.id);
    tabs.current[TABS.indexOf(target)]?.focus();
  };
  return (
    <aside class="side-panel" aria-label={t('panel.label')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div class="panel-head">
        <div role="tablist" aria-label={t('panel.label')} onKeyDown={onKeyDown} class="tabs">
          {TABS.map((x, i) => (
            <button
              type="button"
              role="tab"
              id={`tab-${x.id}`}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              aria-selected={x.id === tab}
              aria-controls={`panel-${x.id}`}
              tabIndex={x.id === tab ? 0 : -1}
              onClick={() => onTab(x.id)}
            >
              {t(x.label)}
            </button>
          ))}
        </div>
        <button type="button" class="icon-button" onClick={onClose} aria-label={t('common.close')}>
          ×
        </button>
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel-body" tabIndex={0}>
        {children}
      </div>
    </aside>
  );
}

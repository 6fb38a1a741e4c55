import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import type { ActionKind, Turn } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { paragraphs } from '../lib/format.js';
import { narrationHtml } from '../lib/markdown.js';
import { canSpeak, copyPassage, speak, stopSpeaking } from './passage-tools.js';
import type { TimelineTurn } from './play-state.js';
import { PassageMedia } from './passage-media.js';
import { ActionEditor, PassageEditor } from './turn-editors.js';
import { ActorName } from './table-bar.js';

export function PlayerLine({ action, input, userId }: { action: ActionKind; input: string; userId?: string | null }) {
  const { t } = useI18n();
  const text = action === 'say' ? `“${input}”` : action === 'continue' ? '…' : input;
  return (
    <p class={`player-line kind-${action}`}>
      <ActorName userId={userId} />
      <span class="kind-badge">{t(`composer.kind.${action}`)}</span>
      <span class="player-text">{text}</span>
    </p>
  );
}

/** The ink's text: plain paragraphs, as the author wrote them. */
export function Prose({ text, className }: { text: string; className: string }) {
  return (
    <div class={className}>
      {paragraphs(text).map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

/** The narrator's passage: Markdown made safe by micromark (raw HTML, links and images stay text). */
export function Narration({ text, className }: { text: string; className: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: narrationHtml(text) }} />;
}

/** Who speaks in the story's text: the `# speaker: Name` tags of its lines. */
function speakersOf(tags: readonly string[]): string[] {
  const names = tags.map((tag) => /^speaker\s*:\s*(.+)$/i.exec(tag.trim())?.[1]?.trim()).filter((n): n is string => Boolean(n));
  return [...new Set(names)];
}

export interface TurnControls {
  busy: boolean;
  onUndo(): void;
  onRetry(): void;
  onRetryWith(input: string, action: ActionKind): void;
  onEdit(turnNo: number, narration: string): Promise<void>;
  onFork(turnNo: number): void;
  onContext(turnNo: number): void;
}

type Editing = 'passage' | 'action' | null;

function TurnBody({ turn, previousChoices, editing, onEdited }: { turn: Turn; previousChoices: { index: number; text: string }[]; editing: Editing; onEdited(narration: string | null): Promise<void> }) {
  const { t } = useI18n();
  const chosen = turn.decision.choice_index === null ? null : previousChoices.find((c) => c.index === turn.decision.choice_index);
  const moved = turn.turn_no === 0 || turn.decision.choice_index !== null;
  const speakers = speakersOf(turn.updated_state.tags);
  return (
    <>
      {turn.turn_no > 0 && editing !== 'action' && <PlayerLine action={turn.action} input={turn.input} userId={turn.user_id} />}
      {turn.turn_no > 0 &&
        (editing === 'passage' ? (
          <PassageEditor text={turn.response} onSave={(text) => onEdited(text)} onCancel={() => void onEdited(null)} />
        ) : (
          <Narration className="narration" text={turn.response} />
        ))}
      {turn.edited && editing !== 'passage' && (
        <p class="edited-note muted" title={turn.original_narration ?? ''}>
          {t('turn.edited')}
        </p>
      )}
      {chosen && <p class="choice-taken">{t('play.chose', { choice: chosen.text })}</p>}
      {moved && speakers.length > 0 && <p class="speaker">{speakers.join(' · ')}</p>}
      {moved && <PassageMedia media={turn.updated_state.media} />}
      {moved ? <Prose className="story-text" text={turn.updated_state.text} /> : <p class="story-waits">{t('play.waits')}</p>}
      {turn.updated_state.ended && <p class="the-end">{t('play.end')}</p>}
    </>
  );
}

/** One committed turn: the player's line, the narration, the story's text; its tools; its other versions. */
interface TurnViewProps {
  turn: TimelineTurn;
  versions: TimelineTurn[] | undefined;
  previousChoices: { index: number; text: string }[];
  /** The last turn on the timeline, with no turn running: it can be undone and retried. */
  isLast: boolean;
  controls: TurnControls;
}

export const TurnView = memo(function TurnView({ turn, versions, previousChoices, isLast, controls }: TurnViewProps) {
  const { t } = useI18n();
  const activeIndex = versions ? Math.max(0, versions.findIndex((v) => v.task_id === turn.task_id)) : 0;
  const [shown, setShown] = useState<number | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const index = shown ?? activeIndex;
  const visible = versions?.[index] ?? turn;
  const label = turn.turn_no === 0 ? t('play.opening') : `#${turn.turn_no}`;
  const onEdited = async (narration: string | null) => {
    if (narration !== null) await controls.onEdit(turn.turn_no, narration);
    setEditing(null);
  };
  return (
    <article class={visible.state === 'replaced' ? 'turn replaced' : 'turn'} aria-label={label} data-turn={turn.turn_no}>
      <TurnBody turn={visible} previousChoices={previousChoices} editing={visible === turn ? editing : null} onEdited={onEdited} />
      {editing === 'action' && (
        <ActionEditor
          input={turn.input}
          action={turn.action}
          onRetry={(input, action) => {
            setEditing(null);
            controls.onRetryWith(input, action);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <div class="turn-tools" role="toolbar" aria-label={t('turn.actions', { n: turn.turn_no })}>
        {versions && versions.length > 1 && <VersionPicker index={index} count={versions.length} replaced={visible.state === 'replaced'} onShow={setShown} />}
        {turn.turn_no > 0 && <PassageTools text={visible.response} />}
        {turn.turn_no > 0 && visible === turn && (
          <button type="button" class="tool" onClick={() => setEditing(editing === 'passage' ? null : 'passage')} disabled={controls.busy}>
            {t('turn.editPassage')}
          </button>
        )}
        {turn.turn_no > 0 && (
          <button type="button" class="tool" onClick={() => controls.onContext(turn.turn_no)}>
            {t('turn.context')}
          </button>
        )}
        <button type="button" class="tool" onClick={() => controls.onFork(turn.turn_no)} disabled={controls.busy}>
          {t('turn.fork')}
        </button>
        {isLast && turn.turn_no > 0 && (
          <>
            <button type="button" class="tool" onClick={controls.onUndo} disabled={controls.busy}>
              {t('turn.undo')}
            </button>
            <button type="button" class="tool" onClick={controls.onRetry} disabled={controls.busy}>
              {t('turn.retry')}
            </button>
            <button type="button" class="tool" onClick={() => setEditing(editing === 'action' ? null : 'action')} disabled={controls.busy}>
              {t('turn.editAction')}
            </button>
          </>
        )}
      </div>
    </article>
  );
});

function VersionPicker({ index, count, replaced, onShow }: { index: number; count: number; replaced: boolean; onShow(i: number): void }) {
  const { t } = useI18n();
  return (
    <span class="versions">
      <button type="button" class="icon-button small" disabled={index === 0} onClick={() => onShow(index - 1)} aria-label={t('turn.prevAlt')}>
        ‹
      </button>
      <span class="versions-label" aria-live="polite">
        {t('turn.alternative', { i: index + 1, n: count })} · {replaced ? t('turn.replaced') : t('turn.current')}
      </span>
      <button type="button" class="icon-button small" disabled={index === count - 1} onClick={() => onShow(index + 1)} aria-label={t('turn.nextAlt')}>
        ›
      </button>
    </span>
  );
}

/** Read the passage aloud (the browser's speech synthesis) and copy it. */
function PassageTools({ text }: { text: string }) {
  const { t } = useI18n();
  const [speaking, setSpeaking] = useState(false);
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <>
      {canSpeak && (
        <button
          type="button"
          class="tool"
          aria-pressed={speaking}
          onClick={() => {
            if (speaking) stopSpeaking();
            else speak(text, () => setSpeaking(false));
            setSpeaking(!speaking);
          }}
        >
          {speaking ? t('turn.stopReading') : t('turn.readAloud')}
        </button>
      )}
      <button type="button" class="tool" onClick={async () => setCopied(await copyPassage(text))}>
        {copied === true ? t('turn.copied') : copied === false ? t('turn.copyFailed') : t('turn.copy')}
      </button>
    </>
  );
}

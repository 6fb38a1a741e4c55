/**
 * The play screen: the transcript with the live turn streaming in, the choices on offer, the
 * composer, and the session's tools (memories, cards, context) in a side panel.
 * @module
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ActionKind } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { navigate, onLinkClick } from '../lib/router.js';
import { useAuthView } from '../lib/use-auth.js';
import { CardsPanel } from './cards-panel.js';
import { ChoiceHints } from './choice-hints.js';
import { Composer } from './composer.js';
import { ConnectionBanner } from './connection-banner.js';
import { ContextPanel } from './context-panel.js';
import { LiveTurn } from './live-turn.js';
import { MemoriesPanel } from './memories-panel.js';
import { isBusy } from './play-state.js';
import { SharePanel } from './share-panel.js';
import { SidePanel, type PanelTab } from './side-panel.js';
import { SteerPanel } from './steer-panel.js';
import { PlayersPanel } from './players-panel.js';
import { MemberNames, TableBar, useMembers } from './table-bar.js';
import { TurnView, type TurnControls } from './turn-view.js';
import { usePlaySession } from './use-play-session.js';

/** Keep the newest text in view while the player is reading at the bottom. */
function useStickToBottom(dep: unknown) {
  const atBottom = useRef(true);
  useEffect(() => {
    const onScroll = () => (atBottom.current = innerHeight + scrollY >= document.documentElement.scrollHeight - 160);
    addEventListener('scroll', onScroll, { passive: true });
    return () => removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    if (atBottom.current) scrollTo({ top: document.documentElement.scrollHeight });
  }, [dep]);
}


export function PlayScreen({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const { state, loadError, stream, notice, storyTitle, actions } = usePlaySession(sessionId);
  const view = useAuthView();
  const me = 'userId' in view ? view.userId : null;
  // A spectator of a shared session watches, with no input box.
  const { names, watching } = useMembers(sessionId, state?.table.membersVersion ?? 0, me);
  const [kind, setKind] = useState<ActionKind>('do');
  const [text, setText] = useState('');
  const [panel, setPanel] = useState<PanelTab | null>(() => (matchMedia('(min-width: 1200px)').matches ? 'memories' : null));
  const [contextTurn, setContextTurn] = useState<number | null>(null);
  const [panelOpenedByPlayer, setPanelOpenedByPlayer] = useState(false);
  const [stopping, setStopping] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const panelToggle = useRef<HTMLButtonElement>(null);
  const openPanel = (tab: PanelTab | null) => {
    setPanelOpenedByPlayer(tab !== null);
    setPanel(tab);
    // Closing returns the focus to where the panel was opened from.
    if (tab === null) panelToggle.current?.focus();
  };
  useStickToBottom((state?.live?.text.length ?? 0) + (state?.turns.length ?? 0));
  useEffect(() => input.current?.focus(), [state !== null]);

  const busy = state ? isBusy(state) : false;
  useEffect(() => {
    if (storyTitle) document.title = `${storyTitle} · mock-drama`;
  }, [storyTitle]);
  const controls = useMemo<TurnControls>(
    () => ({
      busy,
      onUndo: () => void actions.undo(),
      onRetry: () => void actions.retry(),
      onRetryWith: (words, k) => void actions.retry({ input: words, action: k }),
      onEdit: (n, narration) => actions.editNarration(n, narration),
      onFork: async (n) => {
        const id = await actions.fork(n);
        if (id) navigate(`/play/${id}`);
      },
      onContext: (n) => {
        setContextTurn(n);
        setPanel('context');
      },
    }),
    [busy, actions],
  );

  if (loadError) return <ErrorNote error={loadError} onRetry={() => location.reload()} />;
  if (!state) return <p class="muted center" role="status">{t('play.loading')}</p>;

  const last = state.turns.at(-1);
  const ended = state.session.ended;
  const stop = async () => {
    setStopping(true);
    try {
      await actions.stop();
    } finally {
      setStopping(false);
      input.current?.focus();
    }
  };
  const noticeText = (n: NonNullable<typeof notice>): string => {
    if (n.kind === 'turn_in_progress') return t('play.turnInProgress');
    if (n.kind === 'story_ended') return t('play.storyEnded');
    if (n.kind === 'not_available') return t('common.notAvailable');
    if (n.kind === 'queue_full') return t('table.queueFull');
    if (n.kind === 'not_your_turn') return t('table.theirTurn', { name: names.get(n.userId ?? '') ?? '…' });
    return t('common.error', { message: n.message });
  };
  const send = async (k: ActionKind, words: string) => {
    setText('');
    const ok = await actions.send(k, words);
    if (!ok) setText(words);
    input.current?.focus();
  };
  const mode = state.session.turn_mode;
  // Free and vote modes take actions while a turn runs (they wait); round mode only from the player whose turn it is.
  const roundHolder = state.table.round?.userId ?? state.session.round?.user_id ?? null;
  const myTurn = mode !== 'round' || roundHolder === null || roundHolder === me;
  const waits = mode === 'free' || mode === 'vote';
  return (
    <MemberNames.Provider value={names}>
    <div class={panel ? 'play with-panel' : 'play'}>
      <div class="play-main">
        <header class="play-header">
          <div>
            <h1 class="play-title">{storyTitle ?? '…'}</h1>
            <p class="muted">{t('library.turn', { n: state.session.turn_no })}</p>
          </div>
          <div class="play-header-tools">
            {state.session.redo_available && (
              <button type="button" class="button" onClick={() => void actions.redo()} disabled={busy}>
                {t('turn.redo')}
              </button>
            )}
            <button type="button" class="button" ref={panelToggle} aria-expanded={panel !== null} aria-controls="side-panel" aria-label={t('panel.open')} onClick={() => openPanel(panel ? null : 'memories')}>
              {t('panel.toggle')}
            </button>
          </div>
        </header>
        <ConnectionBanner status={stream} />
        {state.session.forked_from && (
          <p class="muted fork-note">
            <a href={`/play/${state.session.forked_from}`} onClick={onLinkClick}>
              {t('turn.forkedFrom', { n: state.session.forked_at_turn ?? 0 })}
            </a>
          </p>
        )}
        <section class="transcript" aria-label={t('play.transcript')}>
          {state.turns.map((turn, i) => (
            <TurnView
              key={turn.task_id ?? `turn-${turn.turn_no}`}
              turn={turn}
              versions={state.versions[turn.turn_no]}
              previousChoices={state.turns[i - 1]?.updated_state.choices ?? []}
              isLast={turn === last && !state.live}
              controls={controls}
            />
          ))}
          {state.live && (
            <LiveTurn
              live={state.live}
              onDismiss={actions.dismissLive}
              onResend={() => {
                const again = state.live!;
                actions.dismissLive();
                // A stopped or failed retry left the earlier take in place: retry it again.
                if (again.replaysLast) void actions.retry();
                else void send(again.action, again.input);
              }}
            />
          )}
        </section>
        {notice && (
          <div class="notice" role="alert">
            <p>{noticeText(notice)}</p>
            <button type="button" class="icon-button small" onClick={actions.dismissNotice} aria-label={t('common.close')}>
              ×
            </button>
          </div>
        )}
        {watching && <p class="muted watching-note">{t('players.watching')}</p>}
        {(watching || ended) && <TableBar table={state.table} turnMode={mode} me={me} />}
        {!ended && !watching && <ChoiceHints choices={state.session.choices} disabled={(busy && !waits) || !myTurn} onPick={(choice) => void send('do', choice)} />}
        {watching ? null : ended ? (
          <p class="ended-note">
            {t('play.storyEnded')}{' '}
            <a href={`/stories/${state.session.story_id}`} onClick={onLinkClick}>
              {t('story.begin')}
            </a>
          </p>
        ) : (
          <Composer
            kind={kind}
            onKind={setKind}
            text={text}
            onText={(words) => {
              setText(words);
              if (mode) actions.typing();
            }}
            busy={busy && !waits}
            disabled={!myTurn}
            onSend={() => void send(kind, text.trim())}
            onStop={state.live?.taskId.startsWith('pending:') ? undefined : () => void stop()}
            stopping={stopping}
            inputRef={input}
            above={<TableBar table={state.table} turnMode={mode} me={me} />}
          />
        )}
      </div>
      {panel && (
        <div id="side-panel" class="panel-wrap">
          <SidePanel tab={panel} onTab={setPanel} onClose={() => openPanel(null)} focusOnOpen={panelOpenedByPlayer}>
            {panel === 'memories' && <MemoriesPanel sessionId={sessionId} refreshKey={state.turns.length} />}
            {panel === 'cards' && <CardsPanel sessionId={sessionId} storyId={state.session.story_id} />}
            {panel === 'narrator' && <SteerPanel sessionId={sessionId} session={state.session} onSaved={() => void actions.reload()} />}
            {panel === 'share' && <SharePanel sessionId={sessionId} title={storyTitle ?? 'session'} />}
            {panel === 'players' && <PlayersPanel sessionId={sessionId} refreshKey={state.turns.length + state.table.membersVersion} turnMode={mode ?? null} onModeChanged={() => void actions.reload()} />}
            {panel === 'context' && <ContextPanel sessionId={sessionId} turnNo={contextTurn ?? last?.turn_no ?? null} lastTurnNo={last?.turn_no ?? 0} onTurn={setContextTurn} />}
          </SidePanel>
        </div>
      )}
    </div>
    </MemberNames.Provider>
  );
}

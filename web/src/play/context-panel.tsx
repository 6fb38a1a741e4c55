/**
 * What the models were sent and answered for one turn (`GET …/turns/{n}/trace`): the prompt's
 * sections with their token counts, the messages, the memories and cards recalled with their
 * scores, and the judge's raw answers. The trace is free-form JSON, so every part is optional.
 * @module
 */
import { unwrap } from '../../../sdk/index.js';
import { isDramaApiError } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';

interface Section {
  name: string;
  tokens: number;
  trimmed?: boolean;
}
interface Message {
  role: string;
  content: unknown;
}
interface ModelCall {
  modelId?: string;
  role?: string;
  request?: { messages?: Message[]; sections?: Section[]; totalTokens?: number };
  inputTokens?: number;
  outputTokens?: number;
}
interface ScoredMemory {
  text: string;
  score?: number;
  similarity?: number | null;
  recency?: number;
  importance?: number;
  reason?: string;
  pinned?: boolean;
}
interface Trace {
  narrator?: ModelCall;
  judge?: { calls?: ModelCall[]; answers?: unknown[] };
  memories?: ScoredMemory[];
  recall?: { cards?: { name: string; source: string; similarity: number | null; activatedBySimilarity: boolean; when?: string; conditionHolds?: boolean }[] };
}

const fixed = (n: number | null | undefined, digits = 2) => (typeof n === 'number' ? n.toFixed(digits) : '–');
const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content, null, 2));

function CallView({ title, call: c }: { title: string; call: ModelCall }) {
  const { t } = useI18n();
  const sections = c.request?.sections ?? [];
  const total = Math.max(1, sections.reduce((n, s) => n + s.tokens, 0));
  return (
    <section class="trace-call">
      <h3>
        {title} <span class="muted">{c.modelId}</span>
      </h3>
      <p class="muted">
        {t('context.tokens', { n: c.inputTokens ?? c.request?.totalTokens ?? 0 })} → {c.outputTokens ?? 0}
      </p>
      {sections.length > 0 && (
        <>
          <h4>{t('context.sections')}</h4>
          <ul class="sections">
            {sections.map((s) => (
              <li key={s.name}>
                <span class="section-name">{s.name}</span>
                <span class="bar" style={{ width: `${Math.max(2, (s.tokens / total) * 100)}%` }} aria-hidden="true" />
                <span class="section-tokens">
                  {s.tokens}
                  {s.trimmed ? ` · ${t('context.trimmed')}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {(c.request?.messages ?? []).map((m, i) => (
        <details key={i} class="message">
          <summary>
            {t('context.messages')} · {m.role}
          </summary>
          <pre>{text(m.content)}</pre>
        </details>
      ))}
    </section>
  );
}

export function ContextPanel({ sessionId, turnNo, lastTurnNo, onTurn }: { sessionId: string; turnNo: number | null; lastTurnNo: number; onTurn(n: number): void }) {
  const { t } = useI18n();
  const [state, reload] = useAsync(async () => {
    if (turnNo === null) return null;
    try {
      return (await call(() => unwrap(drama.api.GET('/api/sessions/{id}/turns/{n}/trace', { params: { path: { id: sessionId, n: turnNo } } })))).trace as Trace;
    } catch (err) {
      if (isDramaApiError(err) && err.status === 404) return null;
      throw err;
    }
  }, [sessionId, turnNo]);
  return (
    <div class="context">
      <label class="field">
        <span>{t('context.pick')}</span>
        <select value={turnNo ?? ''} onChange={(e) => onTurn(Number((e.currentTarget as HTMLSelectElement).value))}>
          <option value="" disabled>
            –
          </option>
          {Array.from({ length: lastTurnNo }, (_, i) => lastTurnNo - i).map((n) => (
            <option value={n}>#{n}</option>
          ))}
        </select>
      </label>
      {turnNo === null && <p class="muted">{t('context.empty')}</p>}
      {state.status === 'loading' && turnNo !== null && <p class="muted">{t('common.loading')}</p>}
      {state.status === 'error' && <ErrorNote error={state.error} onRetry={reload} />}
      {state.status === 'ok' && turnNo !== null && state.value === null && <p class="muted">{t('context.none')}</p>}
      {state.status === 'ok' && state.value && <TraceView trace={state.value} />}
    </div>
  );
}

function TraceView({ trace }: { trace: Trace }) {
  const { t } = useI18n();
  return (
    <div class="trace" data-testid="trace">
      {trace.memories && trace.memories.length > 0 && (
        <section>
          <h3>{t('context.memories')}</h3>
          <table class="scores">
            <thead>
              <tr>
                <th scope="col">{t('memories.text')}</th>
                <th scope="col">score</th>
                <th scope="col">sim</th>
              </tr>
            </thead>
            <tbody>
              {trace.memories.map((m, i) => (
                <tr key={i}>
                  <td>
                    {m.pinned ? '📌 ' : ''}
                    {m.text}
                  </td>
                  <td>{fixed(m.score)}</td>
                  <td>{fixed(m.similarity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {trace.recall?.cards && trace.recall.cards.length > 0 && (
        <section>
          <h3>{t('context.cards')}</h3>
          <ul class="plain">
            {trace.recall.cards.map((c) => (
              <li key={c.name}>
                {c.activatedBySimilarity ? '● ' : '○ '}
                {c.name} <span class="muted">({c.source}, {fixed(c.similarity)})</span>
                {c.when && (
                  <span class="muted">
                    {' '}
                    — {t(c.conditionHolds ? 'context.whenHeld' : 'context.whenFailed', { when: c.when })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {trace.narrator && <CallView title={t('context.narrator')} call={trace.narrator} />}
      {(trace.judge?.calls ?? []).map((c, i) => (
        <CallView key={i} title={`${t('context.judge')}${c.role && c.role !== 'judge' ? ` (${c.role})` : ''}`} call={c} />
      ))}
      {trace.judge?.answers && trace.judge.answers.length > 0 && (
        <details class="message">
          <summary>{t('context.answers')}</summary>
          <pre>{JSON.stringify(trace.judge.answers, null, 2)}</pre>
        </details>
      )}
      <details class="message">
        <summary>{t('context.raw')}</summary>
        <pre>{JSON.stringify(trace, null, 2)}</pre>
      </details>
    </div>
  );
}

/**
 * The author dashboard of a story (`/stories/:id/analytics`): the numbers of GET
 * /api/stories/{id}/analytics as tiles and Chart.js charts, per version or over all of them, and a
 * CSV download. The app loads this module (and Chart.js with it) only when the screen is opened.
 * @module
 */
import { useState } from 'preact/hooks';
import { unwrap, type StoryAnalytics } from '../../../sdk/index.js';
import { ErrorNote, LoadNote } from '../components/error-note.js';
import { useI18n, type MessageKey } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { onLinkClick } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';
import { ChoicesChart, CoverageChart, EndingsChart, UsageChart } from './analytics-charts.js';
import './analytics.css';

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
const usd = (n: number) => `$${n.toFixed(n > 0 && n < 0.01 ? 6 : 4)}`;

/** The headline numbers, each with a stable `data-stat` name. */
function tilesOf(a: StoryAnalytics): [string, MessageKey, string][] {
  return [
    ['started', 'analytics.started', String(a.sessions.started)],
    ['finished', 'analytics.finished', String(a.sessions.finished)],
    ['turns', 'analytics.turns', String(a.turns.played)],
    ['median', 'analytics.median', a.turns.median_to_ending === null ? '–' : String(a.turns.median_to_ending)],
    ['never-reached', 'analytics.neverReached', `${a.coverage.knots_never_reached} / ${a.coverage.knots} (${percent(a.coverage.never_reached_share)})`],
    ['repair-rate', 'analytics.repairRate', percent(a.judge.repair_rate)],
    ['fallback-rate', 'analytics.fallbackRate', percent(a.judge.fallback_rate)],
    ['tokens-turn', 'analytics.tokensPerTurn', String(Math.round(a.usage.per_turn.tokens))],
    ['cost-turn', 'analytics.costPerTurn', usd(a.usage.per_turn.cost_usd)],
    ['tokens-session', 'analytics.tokensPerSession', String(Math.round(a.usage.per_session.tokens))],
    ['cost-session', 'analytics.costPerSession', usd(a.usage.per_session.cost_usd)],
  ];
}

/** Fetch the CSV with the page's credentials and hand it to the browser as a download. */
async function downloadCsv(storyId: string, version: number | undefined): Promise<void> {
  const query = { format: 'csv' as const, ...(version === undefined ? {} : { version }) };
  const text = await call(() => unwrap(drama.api.GET('/api/stories/{id}/analytics', { params: { path: { id: storyId }, query }, parseAs: 'text' })));
  const url = URL.createObjectURL(new Blob([text as string], { type: 'text/csv' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: `story-${storyId}-analytics${version === undefined ? '' : `-v${version}`}.csv` });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AnalyticsScreen({ storyId }: { storyId: string }) {
  const { t } = useI18n();
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [csvError, setCsvError] = useState<unknown>(null);
  const [state, reload] = useAsync(async () => {
    const path = { id: storyId };
    const [story, versions, analytics] = await Promise.all([
      call(() => unwrap(drama.api.GET('/api/stories/{id}', { params: { path } }))),
      call(() => unwrap(drama.api.GET('/api/stories/{id}/versions', { params: { path } }))),
      // The route answers JSON or, with format=csv, text: this is the JSON.
      call(() => unwrap(drama.api.GET('/api/stories/{id}/analytics', { params: { path, query: version === undefined ? {} : { version } } }))) as Promise<StoryAnalytics>,
    ]);
    return { story, versions: versions.versions, analytics };
  }, [storyId, version]);

  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const { story, versions, analytics: a } = state.value;
  document.title = `${t('story.analytics')} · ${story.title} · mock-drama`;
  return (
    <div class="page analytics">
      <a class="back-link" href={`/stories/${encodeURIComponent(storyId)}`} onClick={onLinkClick}>
        ← {story.title}
      </a>
      <h1>{t('analytics.title', { title: story.title })}</h1>
      <div class="analytics-bar">
        <label>
          {t('analytics.version')}{' '}
          <select value={version ?? ''} onChange={(e) => setVersion(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}>
            <option value="">{t('analytics.allVersions')}</option>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {t('analytics.versionOption', { n: v.version })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="button" onClick={() => downloadCsv(storyId, version).then(() => setCsvError(null), setCsvError)}>
          {t('analytics.csv')}
        </button>
      </div>
      {csvError !== null && <ErrorNote error={csvError} />}
      {a.sessions.started === 0 && <p class="muted">{t('analytics.empty')}</p>}
      <dl class="stat-tiles">
        {tilesOf(a).map(([name, label, value]) => (
          <div key={name} class="stat-tile" data-stat={name}>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="an-endings">
        <h2 id="an-endings">{t('analytics.endings')}</h2>
        <EndingsChart a={a} />
      </section>
      <section aria-labelledby="an-coverage">
        <h2 id="an-coverage">{t('analytics.coverage')}</h2>
        <p class="muted">{t('analytics.coverageHint')}</p>
        <CoverageChart a={a} />
      </section>
      <section aria-labelledby="an-choices">
        <h2 id="an-choices">{t('analytics.choices')}</h2>
        <ChoicesChart a={a} />
      </section>
      <section aria-labelledby="an-usage">
        <h2 id="an-usage">{t('analytics.usage')}</h2>
        <UsageChart a={a} />
      </section>
      <p class="muted">{t('analytics.sample', { n: a.sample.limit })}</p>
    </div>
  );
}

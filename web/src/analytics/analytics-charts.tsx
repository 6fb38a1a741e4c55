/**
 * The dashboard's charts (Chart.js): endings, knot and stitch visits with the places never
 * reached in red, choice shares per choice point as stacked bars, tokens and cost per turn.
 * @module
 */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'preact/hooks';
import type { StoryAnalytics } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { ChartCanvas, themeColors } from './chart-canvas.js';

/** Bars per chart row, so long lists stay readable. */
const ROW_PX = 26;
const PALETTE = ['#8a4b2a', '#2f6f8f', '#6b8e23', '#b8860b', '#7b4f9d', '#c0504d', '#4f81bd', '#9bbb59'];

/** Bars along the x axis, one row per label; counts get whole-number ticks. */
function horizontalBars(labels: string[], datasets: ChartConfiguration<'bar'>['data']['datasets'], opts: { stacked?: boolean; tickColor?: (i: number) => string; max?: number } = {}): ChartConfiguration<'bar'> {
  const c = themeColors();
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1, labels: { color: c.text } } },
      scales: {
        x: { stacked: opts.stacked ?? false, beginAtZero: true, ...(opts.max !== undefined ? { max: opts.max } : {}), ticks: { color: c.muted, precision: 0 }, grid: { color: c.grid } },
        y: { stacked: opts.stacked ?? false, ticks: { color: opts.tickColor ? (ctx) => opts.tickColor!(ctx.index) : c.text }, grid: { display: false } },
      },
    },
  };
}

export function EndingsChart({ a }: { a: StoryAnalytics }) {
  const { t } = useI18n();
  const config = useMemo(() => horizontalBars(a.endings.map((e) => e.ending), [{ label: t('analytics.sessions'), data: a.endings.map((e) => e.sessions), backgroundColor: themeColors().accent }]), [a, t]);
  return <ChartCanvas config={config} label={t('analytics.endings')} height={60 + a.endings.length * ROW_PX} />;
}

export function CoverageChart({ a }: { a: StoryAnalytics }) {
  const { t } = useI18n();
  const places = a.coverage.places;
  const config = useMemo(() => {
    const c = themeColors();
    const never = (i: number) => places[i]!.visits === 0;
    return horizontalBars(places.map((p) => p.path), [{ label: t('analytics.visits'), data: places.map((p) => p.visits), backgroundColor: places.map((_, i) => (never(i) ? c.danger : c.accent)) }], { tickColor: (i) => (never(i) ? c.danger : c.text) });
  }, [places, t]);
  return <ChartCanvas config={config} label={t('analytics.coverage')} height={60 + places.length * ROW_PX} />;
}

export function ChoicesChart({ a }: { a: StoryAnalytics }) {
  const { t } = useI18n();
  const points = a.choice_points;
  const config = useMemo(() => {
    // Stack i holds each point's i-th choice ("no choice" is each point's last); the tooltip names the choice.
    const widest = Math.max(0, ...points.map((p) => p.choices.length - 1));
    const slot = (i: number) => points.map((p) => (i < p.choices.length - 1 ? p.choices[i]! : null));
    const datasets = Array.from({ length: widest }, (_, i) => ({ label: `#${i + 1}`, data: slot(i).map((c) => (c ? c.share * 100 : 0)), backgroundColor: PALETTE[i % PALETTE.length]!, texts: slot(i).map((c) => c?.text ?? '') }));
    datasets.push({ label: t('analytics.noChoice'), data: points.map((p) => p.choices.at(-1)!.share * 100), backgroundColor: '#9e9e9e', texts: points.map(() => t('analytics.noChoice')) });
    const config = horizontalBars(points.map((p) => p.position), datasets, { stacked: true, max: 100 });
    config.options!.plugins!.legend = { display: false };
    config.options!.plugins!.tooltip = { callbacks: { label: (ctx) => `${(ctx.dataset as { texts?: string[] }).texts?.[ctx.dataIndex] ?? ''}: ${Number(ctx.raw).toFixed(1)}%` } };
    return config;
  }, [points, t]);
  return (
    <>
      <ChartCanvas config={config} label={t('analytics.choices')} height={60 + points.length * ROW_PX * 1.5} />
      <dl class="choice-list">
        {points.map((p) => (
          <div key={p.position} data-point={p.position}>
            <dt>{p.position}</dt>
            {p.choices.map((c, i) => (
              <dd key={i}>
                <span class="swatch" style={{ background: c.text === null ? '#9e9e9e' : PALETTE[i % PALETTE.length] }} />
                {c.text ?? t('analytics.noChoice')}: {Math.round(c.share * 1000) / 10}% ({c.taken})
              </dd>
            ))}
          </div>
        ))}
      </dl>
    </>
  );
}

export function UsageChart({ a }: { a: StoryAnalytics }) {
  const { t } = useI18n();
  const config = useMemo((): ChartConfiguration => {
    const c = themeColors();
    const turns = a.usage.by_turn;
    return {
      type: 'bar',
      data: {
        labels: turns.map((u) => t('analytics.turnNo', { n: u.turn_no })),
        datasets: [
          { type: 'bar', label: t('analytics.tokens'), data: turns.map((u) => u.tokens), backgroundColor: c.accent, yAxisID: 'tokens' },
          { type: 'line', label: t('analytics.cost'), data: turns.map((u) => u.cost_usd), borderColor: '#2f6f8f', backgroundColor: '#2f6f8f', yAxisID: 'cost' },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { labels: { color: c.text } } },
        scales: {
          x: { ticks: { color: c.muted }, grid: { display: false } },
          tokens: { position: 'left', beginAtZero: true, ticks: { color: c.muted }, grid: { color: c.grid } },
          cost: { position: 'right', beginAtZero: true, ticks: { color: c.muted }, grid: { display: false } },
        },
      },
    };
  }, [a, t]);
  return <ChartCanvas config={config} label={t('analytics.usage')} height={260} />;
}

/**
 * The author dashboard, loaded on demand: its module and Chart.js form a chunk of their own, so the
 * main bundle does not grow for players who never open it.
 * @module
 */
import { LoadNote } from '../components/error-note.js';
import { useAsync } from '../lib/use-async.js';

export function LazyAnalyticsScreen({ storyId }: { storyId: string }) {
  const [state, reload] = useAsync(() => import('../analytics/analytics-screen.js'), []);
  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const { AnalyticsScreen } = state.value;
  return <AnalyticsScreen storyId={storyId} />;
}

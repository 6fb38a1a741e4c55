/**
 * One Chart.js chart on a canvas, made when the component mounts and rebuilt when its config
 * changes. Only the pieces the dashboard draws are registered (bars and lines on category and
 * linear scales), so the chunk carries no other chart types.
 * @module
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

/** The page's colours, read from its CSS variables so the charts follow the light or dark theme. */
export function themeColors(): { text: string; muted: string; accent: string; danger: string; grid: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { text: v('--text', '#2a2623'), muted: v('--text-muted', '#6f665c'), accent: v('--accent', '#8a4b2a'), danger: v('--danger', '#b3261e'), grid: 'rgba(127,127,127,0.2)' };
}

export function ChartCanvas({ config, label, height }: { config: ChartConfiguration; label: string; height: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div class="chart-box" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

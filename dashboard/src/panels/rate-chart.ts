import type { Stats } from '../api';
import { Chart } from '../charts';
import { byTestId } from '../dom';
import { clock, poolColor } from '../format';

/** How many samples (one per poll, about a second apart) the chart keeps. */
const WINDOW = 120;

/**
 * Requests per second by pool over time, as stacked areas (the top edge is the total rate), from
 * successive /api/stats samples: each point is the
 * growth of a pool's decision counter divided by the seconds between the two samples. A counter
 * that goes down (ext-proc-service restarted) starts a new baseline instead of a negative rate.
 * The container's `data-points` and `data-peak` attributes expose what is drawn, for tests.
 */
export class RateChart {
  private readonly container = byTestId('rate-chart');
  private readonly chart: Chart<'line', number[], string>;
  private last: { at: number; byPool: Record<string, number>; total: number } | null = null;

  constructor() {
    const canvas = this.container.querySelector('canvas');
    if (!canvas) throw new Error('rate chart has no canvas');
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 8, maxRotation: 0 }, grid: { display: false } },
          y: {
            stacked: true,
            beginAtZero: true,
            title: { display: true, text: 'req/s (stacked)' },
            ticks: { precision: 0 },
          },
        },
        plugins: { legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 12 } } },
        elements: {
          point: { radius: 0, hoverRadius: 4 },
          line: { cubicInterpolationMode: 'monotone', borderWidth: 2 },
        },
      },
    });
  }

  /** Adds one sample taken at `now` (epoch ms). */
  push(stats: Stats, now: number): void {
    const byPool = stats.decisions.byPool;
    const previous = this.last;
    this.last = { at: now, byPool: { ...byPool }, total: stats.decisions.total };
    if (!previous || stats.decisions.total < previous.total || now <= previous.at) return;
    const seconds = (now - previous.at) / 1000;
    const { labels, datasets } = this.chart.data;
    for (const pool of Object.keys(byPool)) {
      if (!datasets.some((d) => d.label === pool)) {
        const color = poolColor(pool);
        datasets.push({ label: pool, data: labels!.map(() => 0), borderColor: color, backgroundColor: `${color}40` });
        datasets.sort((a, b) => String(a.label).localeCompare(String(b.label)));
        datasets.forEach((d, i) => (d.fill = i === 0 ? 'origin' : '-1')); // stacked areas: the top edge is the total
      }
    }
    labels!.push(clock(now));
    for (const d of datasets) {
      const pool = String(d.label);
      d.data.push(Math.max(0, ((byPool[pool] ?? 0) - (previous.byPool[pool] ?? 0)) / seconds));
    }
    if (labels!.length > WINDOW) {
      labels!.shift();
      for (const d of datasets) d.data.shift();
    }
    this.chart.update('none');
    const peak = Math.max(0, ...datasets.flatMap((d) => d.data));
    this.container.dataset.points = String(labels!.length);
    this.container.dataset.peak = peak.toFixed(2);
    this.container.dataset.pools = datasets.map((d) => d.label).join(',');
  }
}

import type { Stats } from '../api';
import { Chart } from '../charts';
import { byTestId, dot, el, replace } from '../dom';
import { count, percent, poolColor, stageColor } from '../format';

/** One doughnut and its legend table (name, count, share). */
class Share {
  private readonly chart: Chart<'doughnut', number[], string>;
  private readonly legend: HTMLTableElement;

  constructor(
    private readonly key: string,
    private readonly color: (name: string) => string,
  ) {
    this.legend = byTestId<HTMLTableElement>(`share-${key}`);
    this.chart = new Chart(byTestId<HTMLCanvasElement>(`share-${key}-chart`), {
      type: 'doughnut',
      data: { labels: [], datasets: [{ data: [], backgroundColor: [], borderWidth: 1 }] },
      options: { maintainAspectRatio: false, cutout: '62%', plugins: { legend: { display: false } } },
    });
  }

  update(counts: Record<string, number>): void {
    const names = Object.keys(counts).sort();
    const total = names.reduce((sum, n) => sum + counts[n], 0);
    this.chart.data.labels = names;
    this.chart.data.datasets[0].data = names.map((n) => counts[n]);
    this.chart.data.datasets[0].backgroundColor = names.map((n) => this.color(n));
    this.chart.update('none');
    replace(
      this.legend,
      ...names.map((n) =>
        el(
          'tr',
          { 'data-testid': `share-${this.key}-row`, 'data-name': n, 'data-count': counts[n] },
          el('td', {}, dot(this.color(n)), n),
          el('td', { class: 'num' }, count(counts[n])),
          el('td', { class: 'num' }, total === 0 ? '–' : percent(counts[n] / total)),
        ),
      ),
    );
    if (names.length === 0) replace(this.legend, el('tr', {}, el('td', { class: 'muted' }, 'no decisions yet')));
  }
}

/** Share of decisions by pool and by deciding stage, since ext-proc-service started. */
export class Shares {
  private readonly pools = new Share('pool', poolColor);
  private readonly stages = new Share('stage', stageColor);

  update(stats: Stats): void {
    this.pools.update(stats.decisions.byPool);
    this.stages.update(stats.decisions.byStage);
  }
}

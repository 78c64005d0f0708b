import type { Stats } from '../api';
import { byTestId } from '../dom';
import { count, duration, millis, percent, rate } from '../format';

/** The row of headline figures: totals, rate, latency percentiles, cache, shed calls, config version. */
export function renderSummary(stats: Stats): void {
  const set = (id: string, text: string, value?: number) => {
    const node = byTestId(id);
    node.textContent = text;
    if (value !== undefined) node.dataset.value = String(value);
  };
  set('summary-total', count(stats.decisions.total), stats.decisions.total);
  set('summary-uptime', `since start ${duration(stats.uptimeSeconds)} ago`);
  set('summary-rps', rate(stats.recentRatePerSecond), stats.recentRatePerSecond);
  set('summary-p50', millis(stats.recentLatencyMs.p50), stats.recentLatencyMs.p50);
  set('summary-p99', millis(stats.recentLatencyMs.p99), stats.recentLatencyMs.p99);
  set('summary-samples', `over ${count(stats.recentLatencyMs.samples)} recent decisions`);
  const lookups = stats.cache.hits + stats.cache.misses;
  set('summary-cache', lookups === 0 ? '–' : percent(stats.cache.hitRate), stats.cache.hitRate);
  set(
    'summary-cache-detail',
    `${count(stats.cache.hits)} hits of ${count(lookups)} · ${count(stats.cache.size)} entries`,
  );
  // Admission control: requests decided without a model call because it could not finish in time.
  const shed = stats.shed ?? {};
  const shedTotal = Object.values(shed).reduce((a, b) => a + b, 0);
  set('summary-shed', count(shedTotal), shedTotal);
  set(
    'summary-shed-detail',
    Object.keys(shed).length === 0
      ? 'not reported'
      : Object.entries(shed)
          .map(([reason, n]) => `${reason} ${count(n)}`)
          .join(' · '),
  );
  set('summary-config', `v${stats.configVersion}`, stats.configVersion);
}

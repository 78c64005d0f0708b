import type { LlmUsage, LlmUsageModel } from '../api';
import { byTestId, dot, el, replace } from '../dom';
import { count, millis, poolColor, rate } from '../format';

const COLUMNS = [
  'model',
  'pool',
  'requests',
  'errors',
  '429',
  'prompt tok/s',
  'completion tok/s',
  'TTFT p50',
  'TTFT p99',
];

const key = (m: LlmUsageModel) => `${m.pool} ${m.model}`;
const sum = (requests: Record<string, number>, test: (status: number) => boolean) =>
  Object.entries(requests).reduce((n, [status, c]) => (test(Number(status)) ? n + c : n), 0);
const ms = (v: number | null) => (typeof v === 'number' ? millis(v) : '–');

/**
 * The LLM usage panel: per model (and the pool that served it) the requests, errors and 429s
 * ext-proc-service observed, tokens per second since the previous poll (from the running totals of
 * `GET /api/llm-usage`) and time to first token (p50/p99 since start, streamed responses).
 */
export class LlmUsagePanel {
  private last: { at: number; totals: Map<string, { prompt: number; completion: number }> } | null = null;

  update(usage: LlmUsage, nowMillis: number): void {
    const root = byTestId('llm-usage');
    const previous = this.last;
    this.last = {
      at: nowMillis,
      totals: new Map(usage.models.map((m) => [key(m), { prompt: m.promptTokens, completion: m.completionTokens }])),
    };
    byTestId('llm-usage-meta').textContent = `${usage.models.length} model${usage.models.length === 1 ? '' : 's'}`;
    if (usage.models.length === 0) {
      root.dataset.state = 'empty';
      replace(
        root,
        el('p', { class: 'muted' }, 'No LLM responses observed: pools that name a model show here once they answer.'),
      );
      return;
    }
    root.dataset.state = 'ready';
    const seconds = previous ? (nowMillis - previous.at) / 1000 : 0;
    const perSecond = (m: LlmUsageModel, kind: 'prompt' | 'completion') => {
      const before = previous?.totals.get(key(m));
      if (!before || seconds <= 0) {
        return '–';
      }
      const now = kind === 'prompt' ? m.promptTokens : m.completionTokens;
      return rate(Math.max(0, now - before[kind]) / seconds);
    };
    const row = (m: LlmUsageModel) => {
      const total = sum(m.requests, () => true);
      const errors = sum(m.requests, (s) => s >= 500 || s === 0 || Number.isNaN(s));
      const limited = sum(m.requests, (s) => s === 429);
      return el(
        'tr',
        { 'data-testid': 'llm-usage-row', 'data-model': m.model, 'data-pool': m.pool },
        el('td', { 'data-col': 'model' }, m.model),
        el('td', { 'data-col': 'pool' }, dot(poolColor(m.pool)), m.pool),
        el('td', { class: 'num', 'data-col': 'requests' }, count(total)),
        el('td', { class: `num${errors > 0 ? ' warn' : ''}`, 'data-col': 'errors' }, count(errors)),
        el('td', { class: `num${limited > 0 ? ' warn' : ''}`, 'data-col': '429' }, count(limited)),
        el(
          'td',
          { class: 'num', 'data-col': 'prompt-rate', title: `${count(m.promptTokens)} in all` },
          perSecond(m, 'prompt'),
        ),
        el(
          'td',
          { class: 'num', 'data-col': 'completion-rate', title: `${count(m.completionTokens)} in all` },
          perSecond(m, 'completion'),
        ),
        el('td', { class: 'num', 'data-col': 'ttft-p50' }, ms(m.timeToFirstToken.p50)),
        el('td', { class: 'num', 'data-col': 'ttft-p99' }, ms(m.timeToFirstToken.p99)),
      );
    };
    replace(
      root,
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { class: 'grid llm-usage' },
          el('thead', {}, el('tr', {}, ...COLUMNS.map((h, i) => el('th', { class: i >= 2 ? 'num' : undefined }, h)))),
          el('tbody', {}, ...usage.models.map(row)),
        ),
      ),
    );
  }

  /** /api/llm-usage could not be read: the panel says why. */
  unavailable(why: string): void {
    const root = byTestId('llm-usage');
    root.dataset.state = 'unavailable';
    replace(
      root,
      el('p', { class: 'warn', 'data-testid': 'llm-usage-error' }, `LLM usage unavailable: ${why}; retrying.`),
    );
  }
}

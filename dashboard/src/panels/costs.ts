import type { CostKey, Costs } from '../api';
import { byTestId, chip, dot, el, replace } from '../dom';
import { count, millis, percent, poolColor, stageColor } from '../format';

const COLUMNS = ['request shape', 'requests', 'p50', 'p99', 'error rate', 'first pool', 'verdict'];

const ms = (v: number | null | undefined) => (typeof v === 'number' ? millis(v) : '–');
/** A pool name from the API: '' and null both mean none. */
const pool = (name: string | null | undefined) => (name ? name : null);

/** Keys the measured stage moved first, then the rest; the API's order (busiest first) within each. */
export function ordered(keys: CostKey[]): CostKey[] {
  return [...keys.filter((k) => k.moved), ...keys.filter((k) => !k.moved)];
}

function poolCell(col: string, name: string | null): HTMLTableCellElement {
  return el('td', { 'data-col': col }, name ? dot(poolColor(name)) : null, name ?? '–');
}

function row(k: CostKey): HTMLTableRowElement {
  const verdict = pool(k.verdict);
  return el(
    'tr',
    {
      'data-testid': 'cost-row',
      'data-moved': String(k.moved),
      'data-verdict': verdict ?? undefined,
      class: k.moved ? 'moved' : undefined,
    },
    // The key comes from requests (method + path template): text only, like every cell here.
    el('td', { 'data-col': 'key', class: 'path', title: k.key }, k.key),
    el(
      'td',
      { class: 'num', 'data-col': 'count', title: `${count(k.total)} recorded in all` },
      count(k.count),
      k.errors > 0 ? el('div', { class: 'muted small' }, `+${count(k.errors)} failed`) : null,
    ),
    el('td', { class: 'num', 'data-col': 'p50' }, ms(k.millis?.p50)),
    el('td', { class: 'num', 'data-col': 'p99' }, ms(k.millis?.p99)),
    el('td', { class: `num${k.errorRate > 0 ? ' warn' : ''}`, 'data-col': 'error-rate' }, percent(k.errorRate)),
    poolCell('first-pool', pool(k.firstPool)),
    el(
      'td',
      { 'data-col': 'verdict' },
      verdict ? dot(poolColor(verdict)) : null,
      verdict ?? '–',
      k.moved ? chip('moved', stageColor('measured')) : null,
    ),
  );
}

/**
 * The measured-cost panel: the request shapes ext-proc-service has upstream times for (from
 * Envoy's access log), what the measured stage decided for each, and its settings. Keys it
 * moved to another pool than the one they first went to are highlighted and listed first.
 */
export function renderCosts(costs: Costs): void {
  const { totals, measured } = costs;
  const root = byTestId('costs');
  byTestId('costs-meta').textContent =
    `${count(totals.keys)} of ${count(totals.maxKeys)} keys · ${count(totals.evicted)} evicted · ` +
    `${count(totals.recorded)} requests recorded`;
  const classes = Object.entries(measured.classes ?? {});
  const settings = byTestId('costs-measured');
  settings.dataset.enabled = String(measured.enabled);
  replace(
    settings,
    el('strong', {}, measured.enabled ? 'Measured stage on' : 'Measured stage off'),
    measured.enabled
      ? ': a request shape with enough answered requests goes to the first pool whose class its time meets.'
      : ': no decision uses these costs.',
    classes.length === 0 ? ' No classes configured.' : ' Classes: ',
    ...classes.flatMap(([name, rule], i) => [
      i > 0 ? ', ' : null,
      el('span', { class: 'class', 'data-pool': name }, dot(poolColor(name)), `${name} ${rule}`),
    ]),
    ` (at least ${count(measured.minSamples)} requests, at most ${percent(measured.maxErrorRate)} errors, ` +
      `hysteresis ${percent(measured.hysteresis)}).`,
  );
  if (costs.keys.length === 0) {
    root.dataset.state = 'empty';
    replace(
      root,
      el(
        'p',
        { class: 'muted' },
        'No measured costs yet: they appear once requests through Envoy have been answered and reported back.',
      ),
    );
    return;
  }
  root.dataset.state = 'ready';
  const keys = ordered(costs.keys);
  const moved = keys.filter((k) => k.moved).length;
  replace(
    root,
    moved > 0
      ? el('p', { class: 'small', 'data-testid': 'costs-moved' }, `${moved} moved by the measured stage, listed first.`)
      : null,
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'grid costs' },
        el(
          'thead',
          {},
          el('tr', {}, ...COLUMNS.map((h, i) => el('th', { class: i >= 1 && i <= 4 ? 'num' : undefined }, h))),
        ),
        el('tbody', {}, ...keys.map(row)),
      ),
    ),
  );
}

/** /api/costs could not be read: the panel says why (the rest of the page is unaffected). */
export function costsUnavailable(why: string): void {
  const root = byTestId('costs');
  root.dataset.state = 'unavailable';
  replace(
    root,
    el('p', { class: 'warn', 'data-testid': 'costs-error' }, `Measured costs unavailable: ${why}; retrying.`),
  );
}

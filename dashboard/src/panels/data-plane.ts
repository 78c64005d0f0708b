import type { EnvoyHistograms, EnvoyQuantile, EnvoyStats } from '../api';
import { byTestId, dot, el, replace } from '../dom';
import { count, millis, poolColor, rate } from '../format';

const CLUSTER_PREFIX = 'cluster.semlb-pool-';
const EXT_PROC = ['streams_started', 'streams_failed', 'message_timeouts', 'failure_mode_allowed'] as const;
type ExtProcCounter = (typeof EXT_PROC)[number];

/** What Envoy reports for one pool's cluster. */
export interface PoolTraffic {
  pool: string;
  total?: number;
  active?: number;
  p50?: EnvoyQuantile;
  p99?: EnvoyQuantile;
}

export interface DataPlane {
  pools: PoolTraffic[];
  /** Summed over every `http.<prefix>.ext_proc.*` (undefined when Envoy has no such stat). */
  extProc: Partial<Record<ExtProcCounter, number>>;
}

/** The pool of `cluster.semlb-pool-<pool>.<suffix>`, or null. Pool names have no dots. */
function poolOf(name: string, suffix: string): string | null {
  if (!name.startsWith(CLUSTER_PREFIX) || !name.endsWith(`.${suffix}`)) return null;
  const pool = name.slice(CLUSTER_PREFIX.length, name.length - suffix.length - 1);
  return pool && !pool.includes('.') ? pool : null;
}

/** The ext_proc counter `name` is (`http.<prefix>.ext_proc.<counter>`), or null. */
function extProcOf(name: string): ExtProcCounter | null {
  if (!name.startsWith('http.')) return null;
  return EXT_PROC.find((c) => name.endsWith(`.ext_proc.${c}`)) ?? null;
}

/** Reads Envoy's `/stats?format=json` into what the panel shows. Pure; ignores anything unexpected. */
export function readDataPlane(stats: EnvoyStats): DataPlane {
  const pools = new Map<string, PoolTraffic>();
  const pool = (name: string) => {
    let found = pools.get(name);
    if (!found) pools.set(name, (found = { pool: name }));
    return found;
  };
  const extProc: DataPlane['extProc'] = {};
  let histograms: EnvoyHistograms | undefined;
  for (const stat of Array.isArray(stats?.stats) ? stats.stats : []) {
    if ('histograms' in stat) {
      histograms = stat.histograms;
      continue;
    }
    if (typeof stat.value !== 'number' || typeof stat.name !== 'string') continue;
    const total = poolOf(stat.name, 'upstream_rq_total');
    if (total) pool(total).total = stat.value;
    const active = poolOf(stat.name, 'upstream_rq_active');
    if (active) pool(active).active = stat.value;
    const counter = extProcOf(stat.name);
    if (counter) extProc[counter] = (extProc[counter] ?? 0) + stat.value;
  }
  const supported = histograms?.supported_quantiles ?? [];
  const at = (values: EnvoyQuantile[], percent: number) => {
    const i = supported.indexOf(percent);
    return i < 0 ? undefined : values[i];
  };
  for (const h of histograms?.computed_quantiles ?? []) {
    const name = poolOf(h.name, 'upstream_rq_time');
    if (!name || !Array.isArray(h.values)) continue;
    pool(name).p50 = at(h.values, 50);
    pool(name).p99 = at(h.values, 99);
  }
  return { pools: [...pools.values()].sort((a, b) => a.pool.localeCompare(b.pool)), extProc };
}

const ms = (v: number | null | undefined) => (typeof v === 'number' ? millis(v) : '–');

/** A quantile cell: since Envoy started, and over the last stats interval when it had samples. */
function quantileCell(q: EnvoyQuantile | undefined, col: string): HTMLTableCellElement {
  return el(
    'td',
    { class: 'num', 'data-col': col, 'data-value': q?.cumulative ?? undefined },
    ms(q?.cumulative),
    typeof q?.interval === 'number' ? el('div', { class: 'muted small' }, `last interval ${millis(q.interval)}`) : null,
  );
}

/**
 * The data-plane panel: per pool what Envoy itself counted (requests, in flight, upstream time
 * p50/p99) and how often the ext_proc filter failed open. Pool names come from Envoy's cluster
 * names; everything is set as text. When Envoy's stats cannot be had, it says so and waits.
 */
export class DataPlanePanel {
  private readonly root = byTestId('dataplane');
  private readonly meta = byTestId('dataplane-meta');
  private last: { at: number; totals: Map<string, number> } | null = null;

  update(stats: EnvoyStats, now: number): void {
    const view = readDataPlane(stats);
    const totals = new Map(view.pools.flatMap((p) => (p.total === undefined ? [] : [[p.pool, p.total] as const])));
    const previous = this.last;
    this.last = { at: now, totals };
    const perSecond = (p: PoolTraffic) => {
      const before = previous?.totals.get(p.pool);
      if (!previous || p.total === undefined || before === undefined) return '–';
      if (now <= previous.at || p.total < before) return '–'; // no time passed, or Envoy restarted
      return rate(((p.total - before) * 1000) / (now - previous.at));
    };
    this.meta.textContent = `Envoy admin /stats · ${view.pools.length} pool cluster${view.pools.length === 1 ? '' : 's'}`;
    this.root.dataset.state = view.pools.length === 0 ? 'empty' : 'ready';
    replace(
      this.root,
      view.pools.length === 0
        ? el('p', { class: 'muted' }, 'Envoy has no semlb-pool-* clusters yet (they come from the xds-server).')
        : el(
            'table',
            { class: 'grid' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ...['pool', 'requests', 'req/s', 'in flight', 'upstream p50', 'upstream p99'].map((h, i) =>
                  el('th', { class: i === 0 ? undefined : 'num' }, h),
                ),
              ),
            ),
            el(
              'tbody',
              {},
              ...view.pools.map((p) =>
                el(
                  'tr',
                  {
                    'data-testid': 'dataplane-row',
                    'data-pool': p.pool,
                    'data-total': p.total,
                    'data-active': p.active,
                  },
                  el('td', { 'data-col': 'pool' }, dot(poolColor(p.pool)), p.pool),
                  el('td', { class: 'num', 'data-col': 'total' }, p.total === undefined ? '–' : count(p.total)),
                  el('td', { class: 'num', 'data-col': 'rate' }, perSecond(p)),
                  el('td', { class: 'num', 'data-col': 'active' }, p.active === undefined ? '–' : count(p.active)),
                  quantileCell(p.p50, 'p50'),
                  quantileCell(p.p99, 'p99'),
                ),
              ),
            ),
          ),
      this.extProc(view.extProc),
    );
  }

  /** Envoy's stats could not be read: the panel says why instead of showing stale figures. */
  unavailable(why: string): void {
    this.last = null;
    this.root.dataset.state = 'unavailable';
    this.meta.textContent = 'Envoy admin unavailable';
    replace(
      this.root,
      el(
        'p',
        { class: 'warn', 'data-testid': 'dataplane-error' },
        `Envoy stats unavailable: ${why}. The dashboard reads them from Envoy's admin (--envoy-url / SEMLB_ENVOY_ADMIN_URL); retrying.`,
      ),
    );
  }

  private extProc(c: DataPlane['extProc']): HTMLElement {
    const figure = (key: ExtProcCounter, label: string, bad: boolean) => {
      const value = c[key];
      return el(
        'div',
        { class: `figure${bad && value ? ' bad' : ''}`, 'data-counter': key, 'data-value': value },
        el('output', {}, value === undefined ? '–' : count(value)),
        el('small', {}, label),
      );
    };
    const none = EXT_PROC.every((k) => c[k] === undefined);
    return el(
      'div',
      { class: 'extproc', 'data-testid': 'dataplane-extproc' },
      el('h3', {}, 'ext_proc (classifier calls)'),
      none
        ? el('p', { class: 'muted small' }, 'Envoy reports no http.*.ext_proc.* stats.')
        : el(
            'div',
            { class: 'figures' },
            figure('streams_started', 'streams started', false),
            figure('streams_failed', 'streams failed', true),
            figure('message_timeouts', 'message timeouts', true),
            figure('failure_mode_allowed', 'failed open (to the default pool)', true),
          ),
    );
  }
}

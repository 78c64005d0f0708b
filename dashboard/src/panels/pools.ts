import type { Pools } from '../api';
import { byTestId, dot, el, replace } from '../dom';
import { poolColor } from '../format';

/** The pools the xds-server is serving to Envoy, with their endpoints and balancing policy. */
export function renderPools(pools: Pools): void {
  byTestId('pools-meta').textContent =
    `snapshot v${pools.snapshotVersion} · ${pools.connectedStreams} Envoy stream${pools.connectedStreams === 1 ? '' : 's'}`;
  const root = byTestId('pools');
  if (pools.pools.length === 0) {
    replace(root, el('p', { class: 'muted' }, 'The xds-server has no snapshot yet.'));
    return;
  }
  replace(
    root,
    ...pools.pools.map((pool) =>
      el(
        'article',
        { class: 'pool', 'data-testid': 'pool-card', 'data-pool': pool.name, 'data-endpoints': pool.endpoints.length },
        el(
          'header',
          {},
          el('strong', {}, dot(poolColor(pool.name)), pool.name),
          el('span', { class: 'policy', title: 'Envoy load-balancing policy' }, pool.lbPolicy.replace(/_/g, ' ')),
        ),
        el('div', { class: 'muted small' }, `cluster ${pool.cluster}`),
        pool.endpoints.length === 0
          ? el('p', { class: 'warn small' }, 'no endpoints: requests for this pool fail')
          : el(
              'ul',
              { class: 'endpoints' },
              ...pool.endpoints.map((ep) =>
                el(
                  'li',
                  { 'data-testid': 'pool-endpoint' },
                  el('code', {}, `${ep.host}:${ep.port}`),
                  ep.weight > 1 ? el('span', { class: 'muted small' }, ` weight ${ep.weight}`) : null,
                ),
              ),
            ),
      ),
    ),
  );
}

// The one thing the dashboard reads from Envoy's admin API: its stats. Envoy's admin can also
// reset counters, change log levels, drain listeners and shut Envoy down (POST /quitquitquit),
// so nothing under /api/envoy is forwarded as given. `GET /api/envoy/stats[?filter=REGEX]` is
// answered by asking Envoy for `GET /stats?format=json[&filter=REGEX]`, a path built here; any
// other path, query parameter or method is refused without contacting Envoy. Used by server.mjs
// and by the Vite dev server (vite.config.ts).

export const ENVOY_PREFIX = '/api/envoy';
export const ENVOY_STATS_PATH = `${ENVOY_PREFIX}/stats`;
const MAX_FILTER_CHARS = 500;

/** True when `url` (a request target: path and query) is under /api/envoy. */
export function isEnvoyPath(url) {
  return url === ENVOY_PREFIX || url.startsWith(`${ENVOY_PREFIX}/`) || url.startsWith(`${ENVOY_PREFIX}?`);
}

/**
 * What to do with a request under /api/envoy: `{ target }`, the Envoy admin request target to
 * GET, or `{ status, error, allow? }`, the answer to give without asking Envoy. The path is
 * compared as received (no decoding, no dot-segment resolution), so no spelling of another
 * path passes.
 *
 * @param {string | undefined} method
 * @param {string} url
 * @returns {{ target: string } | { status: number, error: string, allow?: string }}
 */
export function envoyRoute(method, url) {
  if (method !== 'GET') {
    return {
      status: 405,
      allow: 'GET',
      error: `method ${method} not allowed: the Envoy admin proxy is read-only (only GET ${ENVOY_STATS_PATH})`,
    };
  }
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  if (pathname !== ENVOY_STATS_PATH) {
    return {
      status: 404,
      error: `not proxied: ${pathname.slice(0, 100)} (the Envoy admin proxy serves only GET ${ENVOY_STATS_PATH})`,
    };
  }
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const names = [...new Set(params.keys())];
  const unknown = names.filter((name) => name !== 'filter');
  if (unknown.length > 0) {
    return {
      status: 400,
      error: `query parameter ${unknown[0].slice(0, 50)} not allowed (expected: only filter)`,
    };
  }
  const filters = params.getAll('filter');
  if (filters.length > 1) return { status: 400, error: 'filter given more than once' };
  const filter = filters[0] ?? '';
  if (filter.length > MAX_FILTER_CHARS) {
    return { status: 400, error: `filter longer than ${MAX_FILTER_CHARS} characters` };
  }
  return { target: `/stats?format=json${filter ? `&filter=${encodeURIComponent(filter)}` : ''}` };
}

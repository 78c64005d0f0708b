/** Number, time and colour formatting shared by the panels. Pure functions. */

const POOL_COLORS: Record<string, string> = {
  'fast-path': '#16a34a',
  general: '#2563eb',
  'high-compute': '#ea580c',
};
const STAGE_COLORS: Record<string, string> = {
  'envoy-route': '#475569',
  model: '#0f766e',
  rules: '#7c3aed',
  measured: '#b45309',
  cache: '#0891b2',
  head: '#be123c',
  embedding: '#db2777',
  llm: '#ca8a04',
  sticky: '#4338ca',
  default: '#64748b',
};
const SPARE = ['#0d9488', '#9333ea', '#dc2626', '#4f46e5', '#65a30d', '#c2410c', '#0369a1'];

function hashColor(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) | 0;
  return SPARE[Math.abs(h) % SPARE.length];
}

export const poolColor = (pool: string): string => POOL_COLORS[pool] ?? hashColor(pool);
export const stageColor = (stage: string): string => STAGE_COLORS[stage] ?? hashColor(stage);

/** Stage names come as `envoy-route` from /api/stats and `ENVOY_ROUTE` from /api/classify. */
export const stageName = (stage: string): string => stage.toLowerCase().replace(/_/g, '-');

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function rate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

export function millis(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

export function clock(epochMillis: number): string {
  const d = new Date(epochMillis);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/**
 * A request path as a person reads it: percent-escapes decoded (Envoy forwards `<` as `%3C`).
 * The result is shown as text only; malformed escapes leave the path as it came.
 */
export function readablePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

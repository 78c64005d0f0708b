/**
 * The admin APIs as the page sees them, through server.mjs: `/api/ext/...` is ext-proc-service's
 * admin API, `/api/xds/...` the xds-server's, `/api/envoy/stats` Envoy's stats (read-only, the
 * only Envoy admin path server.mjs forwards). Shapes mirror AdminServer/Stats/DecisionLog/
 * CostsJson and XdsAdmin on the Java side, and Envoy's `/stats?format=json`.
 */

export interface Stats {
  uptimeSeconds: number;
  configVersion: number;
  decisions: { total: number; byPool: Record<string, number>; byStage: Record<string, number> };
  cache: { hits: number; misses: number; hitRate: number; size: number };
  recentRatePerSecond: number;
  recentLatencyMs: { p50: number; p99: number; samples: number };
  /** Model calls admission control did not make, by reason (absent from older servers). */
  shed?: Record<string, number>;
}

export interface DecisionEntry {
  seq: number;
  timeMillis: number;
  method: string;
  path: string;
  pool: string;
  stage: string;
  confidence: number;
  reason: string;
  latencyMs: number;
}

export interface Endpoint {
  host: string;
  port: number;
  weight: number;
}

export interface Pool {
  name: string;
  cluster: string;
  lbPolicy: string;
  endpoints: Endpoint[];
}

/** `GET /api/pools`: semlb.admin.v1.ListPoolsResponse in the proto3 JSON mapping (a uint64 is a string). */
export interface Pools {
  snapshotVersion: string;
  connectedStreams: number;
  pools: Pool[];
}

export interface ClassifyRequest {
  method: string;
  path: string;
  contentType: string;
  body: string;
}

export interface ClassifyResult {
  decision: { pool: string; confidence: number; stage: string; reason: string };
  latencyMs: number;
  explanation: {
    matchedRule: string | null;
    bodyKind: string;
    modelInput: string;
    configVersion: number;
    signals?: Record<string, number>;
  };
}

/** Upstream time quantiles of one request shape, in ms; null while unknown. */
export type CostMillis = Partial<Record<'p10' | 'p25' | 'p50' | 'p75' | 'p90' | 'p99', number | null>>;

/** One request shape (method + path template) in `GET /api/costs`. */
export interface CostKey {
  key: string;
  count: number;
  errors: number;
  errorRate: number;
  total: number;
  millis: CostMillis;
  firstPool: string | null;
  pools: Record<string, number>;
  verdict: string | null;
  moved: boolean;
}

/** `GET /api/costs?limit=N`: measured upstream cost per request shape, busiest first. */
export interface Costs {
  totals: { keys: number; maxKeys: number; recorded: number; evicted: number; rejected: number };
  measured: {
    enabled: boolean;
    minSamples: number;
    maxErrorRate: number;
    hysteresis: number;
    classes: Record<string, string>;
  };
  keys: CostKey[];
}

/** One pool and model in `GET /api/llm-usage` (ext-proc-service's UsageMetrics.json). */
export interface LlmUsageModel {
  pool: string;
  model: string;
  /** Responses by HTTP status ("none": no response headers). */
  requests: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  /** Streamed responses: count, and p50/p99 in ms since start (null without samples). */
  timeToFirstToken: { count: number; p50: number | null; p99: number | null };
}

/** `GET /api/llm-usage`: LLM usage per pool and model, running totals. */
export interface LlmUsage {
  models: LlmUsageModel[];
}

/** One quantile of an Envoy histogram: over the last interval and since start (null without samples). */
export interface EnvoyQuantile {
  interval: number | null;
  cumulative: number | null;
}

export interface EnvoyHistograms {
  /** In percent (50 is the median); `values` of a computed quantile are in this order. */
  supported_quantiles: number[];
  computed_quantiles: { name: string; values: EnvoyQuantile[] }[];
}

/** Envoy admin `GET /stats?format=json`: counters and gauges (text readouts have string values), then histograms. */
export interface EnvoyStats {
  stats: ({ name: string; value: number | string } | { histograms: EnvoyHistograms })[];
}

/** A failed call: HTTP status (0 when the network failed) and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(8000), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, e instanceof Error ? e.message : String(e));
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(response.status, `not JSON (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const message = (body as { error?: unknown })?.error;
    throw new ApiError(response.status, typeof message === 'string' ? message : `HTTP ${response.status}`);
  }
  return body as T;
}

export const EVENTS_URL = '/api/ext/api/events';

/** Only the stats the data-plane panel reads (an Envoy RE2 regex; Envoy matches it anywhere in the name). */
const ENVOY_STATS_FILTER =
  '^cluster\\.semlb-pool-[^.]+\\.upstream_rq_(total|active|time)$|' +
  '^http\\..+\\.ext_proc\\.(failure_mode_allowed|message_timeouts|streams_started|streams_failed)$';

export const api = {
  stats: () => json<Stats>('/api/ext/api/stats'),
  decisions: (limit: number) => json<DecisionEntry[]>(`/api/ext/api/decisions?limit=${limit}`),
  pools: () => json<Pools>('/api/xds/api/pools'),
  costs: (limit: number) => json<Costs>(`/api/ext/api/costs?limit=${limit}`),
  llmUsage: () => json<LlmUsage>('/api/ext/api/llm-usage'),
  envoyStats: () => json<EnvoyStats>(`/api/envoy/stats?filter=${encodeURIComponent(ENVOY_STATS_FILTER)}`),
  classify: (request: ClassifyRequest) =>
    json<ClassifyResult>('/api/ext/api/classify', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    }),
};

/**
 * The admin APIs as the page sees them, through server.mjs: `/api/ext/...` is ext-proc-service's
 * admin API, `/api/xds/...` the xds-server's. Shapes mirror AdminServer/Stats/DecisionLog and
 * XdsAdmin on the Java side.
 */

export interface Stats {
  uptimeSeconds: number;
  configVersion: number;
  decisions: { total: number; byPool: Record<string, number>; byStage: Record<string, number> };
  cache: { hits: number; misses: number; hitRate: number; size: number };
  recentRatePerSecond: number;
  recentLatencyMs: { p50: number; p99: number; samples: number };
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

export const api = {
  stats: () => json<Stats>('/api/ext/api/stats'),
  decisions: (limit: number) => json<DecisionEntry[]>(`/api/ext/api/decisions?limit=${limit}`),
  pools: () => json<Pools>('/api/xds/api/pools'),
  classify: (request: ClassifyRequest) =>
    json<ClassifyResult>('/api/ext/api/classify', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    }),
};

#!/usr/bin/env node
// Serves the built dashboard (dist/) and reverse-proxies the admin APIs it reads, so the page
// talks to one origin:
//   /api/ext/*        -> ext-proc-service admin API (default http://127.0.0.1:9090)
//   /api/xds/*        -> xds-server admin API       (default http://127.0.0.1:9091)
//   /api/envoy/stats  -> Envoy admin GET /stats?format=json, read-only (default http://127.0.0.1:9901);
//                        nothing else under /api/envoy reaches Envoy (envoy-admin.mjs)
// Node built-ins only. GET and POST only; server-sent events are streamed as they arrive; an
// upstream that is down gives a 502 JSON answer, never a crash. With SEMLB_ADMIN_TOKEN set,
// requests to the semlb APIs carry "Authorization: Bearer <token>" (never the browser, never Envoy).
//
// Usage: node server.mjs [--port 3000] [--host 127.0.0.1] [--ext-url URL] [--xds-url URL] [--envoy-url URL] [--dist DIR]
// Environment: SEMLB_EXT_ADMIN_URL, SEMLB_XDS_ADMIN_URL, SEMLB_ENVOY_ADMIN_URL (defaults for the URLs), SEMLB_ADMIN_TOKEN.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ENVOY_PREFIX, envoyRoute, isEnvoyPath } from './envoy-admin.mjs';

const MAX_BODY_BYTES = 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 10_000;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Scripts only from this origin: even if markup were injected, inline handlers would not run.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

// Request headers passed on to an admin API; everything else (cookies, the browser's own
// Authorization) stays here.
const FORWARDED = ['accept', 'content-type', 'last-event-id'];

/**
 * The dashboard HTTP server, not yet listening.
 *
 * @param {object} options
 * @param {string} options.dist directory with the built page
 * @param {Record<string, {name: string, url: string}>} options.upstreams path prefix (e.g. "/api/ext") to admin API
 * @param {{name: string, url: string}} [options.envoy] Envoy's admin, for GET /api/envoy/stats only
 *   (without it, /api/envoy answers 503)
 * @param {string} [options.token] bearer token for the admin APIs ('' for none; never sent to Envoy)
 * @param {(line: string) => void} [options.log]
 */
export function createDashboardServer({ dist, upstreams, envoy, token = '', log = (line) => console.error(line) }) {
  const root = path.resolve(dist);
  const targets = envoy ? { ...upstreams, [ENVOY_PREFIX]: envoy } : upstreams; // prefix -> where it goes
  const health = new Map(); // prefix -> last outcome, to log changes only
  const note = (prefix, ok, detail) => {
    if (health.get(prefix) === ok) return;
    health.set(prefix, ok);
    const { name, url } = targets[prefix];
    log(ok ? `dashboard: ${name} at ${url} reachable` : `dashboard: ${name} at ${url} unreachable (${detail})`);
  };

  return http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      log(`dashboard: ${req.method} ${req.url?.slice(0, 200)} failed: ${e?.message ?? e}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'dashboard server error' });
      else res.destroy();
    });
  });

  async function handle(req, res) {
    const url = req.url ?? '/';
    if (isEnvoyPath(url)) return envoyStats(req, res, url);
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST');
      return sendJson(res, 405, { error: `method ${req.method} not allowed (expected: GET or POST)` });
    }
    for (const prefix of Object.keys(upstreams)) {
      if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) {
        const rest = url.slice(prefix.length);
        return proxy(req, res, prefix, rest.startsWith('/') ? rest : `/${rest}`);
      }
    }
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return sendJson(res, 405, { error: 'only GET for static files' });
    }
    return serveStatic(url, res);
  }

  /** GET /api/envoy/stats only; everything else under /api/envoy is answered here, never forwarded. */
  async function envoyStats(req, res, url) {
    const route = envoyRoute(req.method, url);
    if (!('target' in route)) {
      if (route.allow) res.setHeader('Allow', route.allow);
      req.resume(); // a body sent along is read and dropped
      return sendJson(res, route.status, { error: route.error });
    }
    if (!envoy) return sendJson(res, 503, { error: 'no Envoy admin URL configured' });
    return proxy(req, res, ENVOY_PREFIX, route.target, { forward: ['accept'], bearer: false });
  }

  async function proxy(req, res, prefix, target, { forward = FORWARDED, bearer = true } = {}) {
    const upstream = new URL(targets[prefix].url);
    let body = null;
    if (req.method === 'POST') {
      body = await readBody(req);
      if (body === null) return sendJson(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
    }
    const headers = { host: upstream.host };
    for (const name of forward) if (req.headers[name]) headers[name] = req.headers[name];
    if (token && bearer) headers.authorization = `Bearer ${token}`;
    if (body) headers['content-length'] = String(body.length);

    await new Promise((resolve) => {
      // The request target is the path as given: it can never name another host.
      const out = http.request({
        hostname: upstream.hostname,
        port: upstream.port || 80,
        method: req.method,
        path: target,
        headers,
        timeout: UPSTREAM_TIMEOUT_MS,
      });
      let clientGone = false;
      res.on('close', () => {
        clientGone = true;
        out.destroy();
      });
      out.on('timeout', () => out.destroy(new Error(`no answer within ${UPSTREAM_TIMEOUT_MS} ms`)));
      out.on('error', (e) => {
        if (clientGone) return resolve();
        note(prefix, false, e.code ?? e.message);
        if (!res.headersSent) {
          const status = e.message.startsWith('no answer') ? 504 : 502;
          sendJson(res, status, { error: `${targets[prefix].name} unreachable: ${e.code ?? e.message}` });
        } else {
          res.destroy();
        }
        resolve();
      });
      out.on('response', (up) => {
        note(prefix, true);
        const type = String(up.headers['content-type'] ?? 'application/octet-stream');
        const streaming = type.startsWith('text/event-stream');
        const head = {
          ...SECURITY_HEADERS,
          'Content-Type': type,
          'Cache-Control': up.headers['cache-control'] ?? 'no-store',
        };
        if (up.headers['www-authenticate']) head['WWW-Authenticate'] = up.headers['www-authenticate'];
        if (streaming) {
          out.setTimeout(0); // an event stream may be quiet for a long time
          req.socket.setTimeout(0);
          req.socket.setNoDelay(true);
          head['X-Accel-Buffering'] = 'no';
        } else if (up.headers['content-length']) {
          head['Content-Length'] = up.headers['content-length'];
        }
        res.writeHead(up.statusCode ?? 502, head);
        if (streaming) res.flushHeaders();
        up.on('error', () => res.destroy());
        up.pipe(res);
        up.on('end', resolve);
        up.on('close', resolve);
      });
      out.end(body ?? undefined);
    });
  }

  async function serveStatic(url, res) {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(url, 'http://dashboard.invalid').pathname);
    } catch {
      return sendText(res, 400, 'bad path');
    }
    if (pathname.includes('\0')) return sendText(res, 400, 'bad path');
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(root + path.sep)) return sendText(res, 404, 'not found');
    let stat;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      if (pathname === '/index.html' && !fs.existsSync(root)) {
        return sendText(res, 503, `dashboard not built: ${root} is missing (run: npm run build)`);
      }
      return sendText(res, 404, 'not found');
    }
    if (!stat.isFile()) return sendText(res, 404, 'not found');
    const immutable = pathname.startsWith('/assets/'); // Vite puts a content hash in these names
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    await new Promise((resolve) => {
      const stream = fs.createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      stream.on('end', resolve);
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  }
}

/** The request body, or null when it exceeds MAX_BODY_BYTES. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res, status, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json',
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
  });
  res.end(bytes);
}

function sendText(res, status, text) {
  const bytes = Buffer.from(`${text}\n`);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': bytes.length,
  });
  res.end(bytes);
}

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function main() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '3000' },
        host: { type: 'string', default: '127.0.0.1' },
        'ext-url': { type: 'string', default: process.env.SEMLB_EXT_ADMIN_URL || 'http://127.0.0.1:9090' },
        'xds-url': { type: 'string', default: process.env.SEMLB_XDS_ADMIN_URL || 'http://127.0.0.1:9091' },
        'envoy-url': { type: 'string', default: process.env.SEMLB_ENVOY_ADMIN_URL || 'http://127.0.0.1:9901' },
        dist: { type: 'string', default: path.join(here, 'dist') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    console.error(`dashboard: ${e.message} (see --help)`);
    process.exit(2);
  }
  if (values.help) {
    console.log(
      fs
        .readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n')
        .slice(1, 13)
        .join('\n'),
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`dashboard: --port: '${values.port}' (expected: 0..65535)`);
    process.exit(2);
  }
  const upstreams = {};
  for (const [prefix, name, flag] of [
    ['/api/ext', 'ext-proc-service admin API', 'ext-url'],
    ['/api/xds', 'xds-server admin API', 'xds-url'],
    [ENVOY_PREFIX, 'Envoy admin', 'envoy-url'],
  ]) {
    let url;
    try {
      url = new URL(values[flag]);
    } catch {
      url = null;
    }
    if (!url || url.protocol !== 'http:') {
      console.error(`dashboard: --${flag}: '${values[flag]}' (expected: an http:// URL)`);
      process.exit(2);
    }
    upstreams[prefix] = { name, url: url.origin };
  }
  const envoy = upstreams[ENVOY_PREFIX]; // read-only: only GET /api/envoy/stats, never the generic proxy
  delete upstreams[ENVOY_PREFIX];
  const token = process.env.SEMLB_ADMIN_TOKEN ?? '';
  if (token && !isLoopback(values.host)) {
    console.error(
      `dashboard: warning: listening on ${values.host} with SEMLB_ADMIN_TOKEN set: anyone who can reach this port uses the admin APIs with that token`,
    );
  }
  const server = createDashboardServer({ dist: values.dist, upstreams, envoy, token });
  server.on('error', (e) => {
    console.error(`dashboard: cannot listen on ${values.host}:${port}: ${e.code ?? e.message}`);
    process.exit(1);
  });
  server.listen(port, values.host, () => {
    const { port: bound } = server.address();
    console.error(
      `dashboard: serving ${values.dist} on http://${values.host}:${bound} (ext-proc-service ${upstreams['/api/ext'].url}, xds-server ${upstreams['/api/xds'].url}, Envoy admin ${envoy.url} read-only${token ? ', bearer token set' : ''})`,
    );
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // event streams never end by themselves
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) main();

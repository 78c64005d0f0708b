// server.mjs against fake admin APIs: static files, path traversal, proxying, the bearer
// token, event streaming, upstream failures. Fast; no stack or browser needed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDashboardServer } from '../server.mjs';

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

/** One request; resolves with status, headers and body text. `path` is sent exactly as given. */
function request(port, requestPath, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: requestPath, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dashboard server', () => {
  const seen = []; // requests the fake ext-proc-service admin API received
  let releaseStream; // ends the fake event stream
  let ext, dashboard, port, deadPort, tmp;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semlb-dash-'));
    const dist = path.join(tmp, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'do not serve');

    ext = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/api/events') {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.write('event: decision\ndata: {"seq":1}\n\n');
          releaseStream = () => res.end('event: decision\ndata: {"seq":2}\n\n');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: true, url: req.url }));
      });
    });
    const extPort = await listen(ext);
    // Nothing listens on TCP port 1 (tcpmux, unused here). A closed ephemeral port is not enough:
    // another process on the machine can be given it before the test connects (seen in CI).
    deadPort = 1;

    dashboard = createDashboardServer({
      dist,
      token: 's3cret',
      log: () => {},
      upstreams: {
        '/api/ext': { name: 'ext-proc-service admin API', url: `http://127.0.0.1:${extPort}` },
        '/api/xds': { name: 'xds-server admin API', url: `http://127.0.0.1:${deadPort}` },
      },
    });
    port = await listen(dashboard);
  });

  after(async () => {
    releaseStream?.();
    dashboard.closeAllConnections();
    ext.closeAllConnections();
    await Promise.all([new Promise((r) => dashboard.close(r)), new Promise((r) => ext.close(r))]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves the page and hashed assets with their content types and a script-src CSP', async () => {
    const page = await request(port, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(page.headers['content-security-policy'], /script-src 'self';/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    const js = await request(port, '/assets/app-abc123.js');
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(js.headers['cache-control'], /immutable/);
    assert.equal((await request(port, '/nope.js')).status, 404);
  });

  it('never serves files outside dist, however the path is spelled', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '//../secret.txt',
      '/assets/%00',
    ]) {
      const res = await request(port, p);
      assert.ok(res.status === 404 || res.status === 400, `${p}: ${res.status}`);
      assert.doesNotMatch(res.body, /do not serve/, p);
    }
  });

  it('proxies GET with its query and adds the bearer token, dropping the browser credentials', async () => {
    const res = await request(port, '/api/ext/api/decisions?limit=5', {
      headers: { Cookie: 'a=b', Authorization: 'Bearer browser' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { ok: true, url: '/api/decisions?limit=5' });
    const got = seen.at(-1);
    assert.equal(got.headers.authorization, 'Bearer s3cret');
    assert.equal(got.headers.cookie, undefined);
  });

  it('proxies POST bodies and refuses bodies over 1 MiB', async () => {
    const body = JSON.stringify({ method: 'GET', path: '/healthz' });
    const res = await request(port, '/api/ext/api/classify', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    assert.equal(res.status, 200);
    assert.equal(seen.at(-1).body, body);
    assert.equal(seen.at(-1).headers['content-type'], 'application/json');
    const big = await request(port, '/api/ext/api/classify', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    assert.equal(big.status, 413);
  });

  it('allows only GET and POST', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await request(port, '/api/ext/api/stats', { method });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.allow, 'GET, POST');
    }
    assert.equal((await request(port, '/index.html', { method: 'POST', body: '' })).status, 405);
  });

  it('answers 502 JSON when an admin API is down, and keeps serving', async () => {
    const res = await request(port, '/api/xds/api/pools');
    assert.equal(res.status, 502);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.match(JSON.parse(res.body).error, /xds-server admin API unreachable: ECONNREFUSED/);
    assert.equal((await request(port, '/')).status, 200);
  });

  it('streams server-sent events as they come, without waiting for the stream to end', async () => {
    let timer;
    const first = await new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no event within 3 s: the stream is buffered')), 3000);
      const req = http.get({ host: '127.0.0.1', port, path: '/api/ext/api/events' }, (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream');
        res.setEncoding('utf8');
        res.once('data', (chunk) => {
          resolve(chunk);
          req.destroy();
        });
      });
      req.on('error', reject);
    }).finally(() => clearTimeout(timer));
    assert.match(first, /"seq":1/);
  });

  it('page code builds DOM with text nodes only (no innerHTML and friends)', () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = fs.readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 5);
    for (const f of files) {
      const code = fs.readFileSync(path.join(src, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(
        code,
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/,
        f,
      );
    }
  });
});

describe('Envoy admin proxy (read-only)', () => {
  const seen = []; // requests the fake Envoy admin received
  const STATS = { stats: [{ name: 'cluster.semlb-pool-general.upstream_rq_total', value: 7 }] };
  let envoy, dashboard, port, downDashboard, downPort;

  before(async () => {
    envoy = http.createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(STATS));
    });
    const envoyPort = await listen(envoy);
    const make = (url) =>
      createDashboardServer({
        dist: os.tmpdir(),
        token: 's3cret',
        log: () => {},
        upstreams: {},
        envoy: { name: 'Envoy admin', url },
      });
    dashboard = make(`http://127.0.0.1:${envoyPort}`);
    downDashboard = make('http://127.0.0.1:1'); // nothing listens on port 1 (see above)
    port = await listen(dashboard);
    downPort = await listen(downDashboard);
  });

  after(async () => {
    for (const s of [dashboard, downDashboard, envoy]) s.closeAllConnections();
    await Promise.all([dashboard, downDashboard, envoy].map((s) => new Promise((r) => s.close(r))));
  });

  it('forwards GET /api/envoy/stats as /stats?format=json, without the admin token or browser headers', async () => {
    const res = await request(port, '/api/envoy/stats', { headers: { Cookie: 'a=b', Authorization: 'Bearer x' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(res.body), STATS);
    const got = seen.at(-1);
    assert.deepEqual([got.method, got.url], ['GET', '/stats?format=json']);
    assert.equal(got.headers.authorization, undefined);
    assert.equal(got.headers.cookie, undefined);
  });

  it('passes a filter on URL-encoded, and nothing else of the query', async () => {
    const filter = '^cluster\\.semlb-pool-[^.]+\\.upstream_rq_(total|time)$|a&b=c d+';
    const res = await request(port, `/api/envoy/stats?filter=${encodeURIComponent(filter)}`);
    assert.equal(res.status, 200);
    const url = new URL(seen.at(-1).url, 'http://envoy.invalid');
    assert.equal(url.pathname, '/stats');
    assert.deepEqual(
      [...url.searchParams],
      [
        ['format', 'json'],
        ['filter', filter],
      ],
    );
    const before = seen.length;
    for (const query of ['format=prometheus', 'filter=a&usedonly', 'filter=a&filter=b', `filter=${'x'.repeat(501)}`]) {
      const refused = await request(port, `/api/envoy/stats?${query}`);
      assert.equal(refused.status, 400, query);
      assert.match(JSON.parse(refused.body).error, /query parameter|filter/, query);
    }
    assert.equal(seen.length, before, 'a refused query reached Envoy');
  });

  it('refuses every other path and method under /api/envoy, and never forwards them', async () => {
    const before = seen.length;
    for (const p of [
      '/api/envoy/quitquitquit',
      '/api/envoy/clusters',
      '/api/envoy/stats/reset',
      '/api/envoy/stats/prometheus',
      '/api/envoy/logging?level=trace',
      '/api/envoy/drain_listeners',
      '/api/envoy/healthcheck/fail',
      '/api/envoy/stats/../quitquitquit',
      '/api/envoy/%2e%2e/quitquitquit',
      '/api/envoy/stats%2f..%2fquitquitquit',
      '/api/envoy//quitquitquit',
      '/api/envoy',
      '/api/envoy/',
      '/api/envoy?filter=x',
    ]) {
      const res = await request(port, p);
      assert.equal(res.status, 404, p);
      assert.equal(res.headers['content-type'], 'application/json', p);
      assert.match(JSON.parse(res.body).error, /only GET \/api\/envoy\/stats/, p);
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      for (const p of ['/api/envoy/stats', '/api/envoy/quitquitquit', '/api/envoy/stats/reset']) {
        const res = await request(port, p, { method, body: method === 'POST' ? '{}' : undefined });
        assert.equal(res.status, 405, `${method} ${p}`);
        assert.equal(res.headers.allow, 'GET', `${method} ${p}`);
        if (method !== 'HEAD') assert.match(JSON.parse(res.body).error, /read-only/, `${method} ${p}`);
      }
    }
    assert.deepEqual(seen.slice(before), [], 'a refused request reached Envoy');
  });

  it('answers 502 JSON naming Envoy admin when Envoy is down', async () => {
    const res = await request(downPort, '/api/envoy/stats');
    assert.equal(res.status, 502);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.match(JSON.parse(res.body).error, /^Envoy admin unreachable: ECONNREFUSED/);
  });

  it('answers 503 when no Envoy admin URL is configured', async () => {
    const bare = createDashboardServer({ dist: os.tmpdir(), upstreams: {}, log: () => {} });
    const barePort = await listen(bare);
    try {
      const res = await request(barePort, '/api/envoy/stats');
      assert.equal(res.status, 503);
      assert.match(JSON.parse(res.body).error, /no Envoy admin URL/);
    } finally {
      await new Promise((r) => bare.close(r));
    }
  });
});

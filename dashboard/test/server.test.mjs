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

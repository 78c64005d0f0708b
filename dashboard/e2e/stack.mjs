// Helpers for the browser test: the whole local stack (scripts/run-local.sh) as a child process
// group, a traffic generator through Envoy, and Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROXY = { host: '127.0.0.1', port: 8080 };
export const DASHBOARD_URL = 'http://127.0.0.1:3000/';

/**
 * Starts scripts/run-local.sh in its own process group and resolves once it prints its
 * "semlb is up" banner. Rejects with the last lines of its output if it exits first or the
 * banner does not come within `timeoutMs` (the first run may build the jars and the page).
 */
export function startStack({ timeoutMs = 10 * 60_000, log = () => {} } = {}) {
  const child = spawn(path.join(ROOT, 'scripts/run-local.sh'), [], {
    cwd: ROOT,
    detached: true, // its own process group, so stop() reaches every process it started
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let killed = false;
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // If this test process dies without its after() hook, do not leave the stack running.
  const onExit = () => killed || signalGroup('SIGKILL');
  process.once('exit', onExit);

  const stack = {
    /** The run-local output so far, for failure messages. */
    output: () => lines.slice(-40).join('\n'),
    /** SIGTERM to the whole group, then SIGKILL if it has not exited within 30 s. */
    async stop() {
      if (killed) return;
      killed = true;
      process.removeListener('exit', onExit);
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL'); // stragglers that ignored SIGTERM
    },
  };

  const up = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`run-local.sh did not come up within ${timeoutMs / 1000} s:\n${stack.output()}`)),
      timeoutMs,
    );
    const onLine = (line) => {
      lines.push(line);
      log(line);
      if (line.includes('semlb is up')) {
        clearTimeout(timer);
        resolve(stack);
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop();
        parts.forEach(onLine);
      });
    }
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`run-local.sh exited (${code ?? signal}) before it was up:\n${stack.output()}`));
    });
  });
  return { stack, up };
}

/** One request through Envoy; resolves with the status and the pool that served it. */
export function send({ method = 'GET', path: requestPath, contentType, body }) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (contentType) headers['content-type'] = contentType;
    if (body) headers['content-length'] = Buffer.byteLength(body);
    const req = http.request({ ...PROXY, method, path: requestPath, headers, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, pool: res.headers['x-served-by-pool'] }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${requestPath}: no answer in 15 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The requests of scripts/workload.jsonl: one JSON object a line with expected, method, path and
 * optional contentType and body ("" when absent; a body that is not a string is sent as its JSON text).
 */
export function workload(file = path.join(ROOT, 'scripts/workload.jsonl')) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => [line, i + 1])
    .filter(([line]) => line.trim())
    .map(([line, n]) => {
      const r = JSON.parse(line);
      for (const key of ['expected', 'method', 'path']) {
        if (typeof r[key] !== 'string') throw new Error(`${file}:${n}: '${key}' missing (expected: a string)`);
      }
      const body = r.body == null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      return { expected: r.expected, method: r.method, path: r.path, contentType: r.contentType ?? '', body };
    });
}

/**
 * Sends the workload round and round, about `perSecond` requests a second with at most 16 in
 * flight, until stopped. Counts answers and failures.
 */
export function startTraffic(perSecond = 25) {
  const requests = workload();
  const counts = { sent: 0, ok: 0, failed: 0, errors: [] };
  let next = 0;
  let inFlight = 0;
  const timer = setInterval(() => {
    if (inFlight >= 16) return;
    const r = requests[next++ % requests.length];
    inFlight++;
    counts.sent++;
    send(r)
      .then((res) =>
        res.status < 500 ? counts.ok++ : (counts.failed++, counts.errors.push(`${r.method} ${r.path}: ${res.status}`)),
      )
      .catch((e) => (counts.failed++, counts.errors.push(e.message)))
      .finally(() => inFlight--);
  }, 1000 / perSecond);
  return {
    counts,
    stop: () => clearInterval(timer),
  };
}

/** Debian's Chromium (or CHROMIUM_BIN), headless, with a fresh profile directory. */
export async function launchChromium() {
  const executablePath = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
  try {
    fs.accessSync(executablePath, fs.constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${executablePath}: install it (Debian: apt-get install -y chromium) or set CHROMIUM_BIN`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'semlb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1440, height: 1200 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** GET `url` and parse JSON. */
export async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** Retries `probe` every 250 ms until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor(probe, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const result = await probe();
      if (result) return result;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

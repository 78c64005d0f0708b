// The dashboard in a real browser against the real stack: starts scripts/run-local.sh (workers,
// xds-server, ext-proc-service, Envoy and the dashboard server), sends traffic through Envoy on
// :8080 while Debian's headless Chromium shows http://127.0.0.1:3000, and checks what a person
// would see: figures and charts move, decisions appear, pools are listed, Envoy's per-pool stats
// and the measured costs show, the try-it panel explains, request-derived text stays text.
// Saves target/dashboard.png.
//
// Needs the fixed ports of run-local.sh free, Chromium (CHROMIUM_BIN, default /usr/bin/chromium).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_URL, getJson, launchChromium, send, startStack, startTraffic, waitFor } from './stack.mjs';

const SCREENSHOT = fileURLToPath(new URL('../target/dashboard.png', import.meta.url));
const POOLS = ['fast-path', 'general', 'high-compute'];
const STAGES = ['envoy-route', 'rules', 'measured', 'cache', 'head', 'embedding', 'llm', 'default']; // Stage.java
const WAIT = { timeout: 60_000 };
const sel = (testid) => `[data-testid="${testid}"]`;
const decoded = (p) => {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
};

describe('dashboard in Chromium against the local stack', () => {
  let stack, browser, page, traffic;
  const pageErrors = [];
  const cspViolations = [];
  const dialogs = [];

  /** The numeric data-value of a summary figure (NaN while not loaded). */
  const value = (testid) => page.getAttribute(sel(testid), 'data-value').then(Number);
  const poolCounts = () =>
    page.$$eval(sel('share-pool-row'), (rows) =>
      Object.fromEntries(rows.map((r) => [r.dataset.name, Number(r.dataset.count)])),
    );
  const maxSeq = () =>
    page.$$eval(sel('decision-row'), (rows) => Math.max(0, ...rows.map((r) => Number(r.dataset.seq))));

  async function classify({ method, path: requestPath, contentType = '', body = '' }) {
    await page.selectOption(sel('try-method'), method);
    await page.fill(sel('try-path'), requestPath);
    await page.fill(sel('try-content-type'), contentType);
    await page.fill(sel('try-body'), body);
    await page.click(sel('try-submit'));
    await page.waitForSelector(
      `${sel('try-result')}[data-state="done"], ${sel('try-result')}[data-state="error"]`,
      WAIT,
    );
    assert.equal(
      await page.getAttribute(sel('try-result'), 'data-state'),
      'done',
      await page.textContent(sel('try-result')),
    );
    const text = async (id) => (await page.textContent(sel(id))).trim();
    return {
      pool: await text('try-pool'),
      stage: await text('try-stage'),
      confidence: await text('try-confidence'),
      reason: await text('try-reason'),
      rule: await text('try-rule'),
      modelInput: await text('try-model-input'),
      request: await text('try-request'),
    };
  }

  before(
    async () => {
      const started = startStack({ log: (line) => process.stderr.write(`  | ${line}\n`) });
      stack = started.stack;
      await started.up;
      browser = await launchChromium();
      page = await browser.context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => m.text().includes('Content Security Policy') && cspViolations.push(m.text()));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(DASHBOARD_URL);
      await page.waitForSelector(`${sel('status-ext')}[data-state="up"]`, WAIT);
    },
    { timeout: 12 * 60_000 },
  );

  after(
    async () => {
      try {
        if (page) {
          fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
          await page.screenshot({ path: SCREENSHOT, fullPage: true });
          process.stderr.write(`screenshot: ${SCREENSHOT}\n`);
        }
      } finally {
        traffic?.stop();
        await browser?.close();
        await stack?.stop();
      }
    },
    { timeout: 2 * 60_000 },
  );

  it('lists the pools the xds-server serves, with their endpoints', async () => {
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="pool-card"]').length === n,
      POOLS.length,
      WAIT,
    );
    const pools = await page.$$eval(sel('pool-card'), (cards) =>
      cards.map((c) => ({
        name: c.dataset.pool,
        endpoints: [...c.querySelectorAll('[data-testid="pool-endpoint"]')].map((e) => e.textContent.trim()),
      })),
    );
    assert.deepEqual(pools.map((p) => p.name).sort(), POOLS);
    const endpoints = Object.fromEntries(pools.map((p) => [p.name, p.endpoints]));
    assert.deepEqual(endpoints, {
      general: ['127.0.0.1:9001'],
      'high-compute': ['127.0.0.1:9002'],
      'fast-path': ['127.0.0.1:9003'],
    });
    assert.equal(await page.getAttribute(sel('status-xds'), 'data-state'), 'up');
  });

  it('moves the live figures, the per-pool counts and the rate chart while traffic flows', async () => {
    await page.waitForFunction(
      () => document.querySelector('[data-testid="summary-total"]')?.dataset.value !== undefined,
      null,
      WAIT,
    );
    const total0 = await value('summary-total');
    const pools0 = await poolCounts();
    const points0 = Number((await page.getAttribute(sel('rate-chart'), 'data-points')) ?? 0);

    traffic = startTraffic(20);
    // Two rounds of the workload: every pool gets requests.
    await page.waitForFunction(
      (min) => Number(document.querySelector('[data-testid="summary-total"]').dataset.value) >= min,
      total0 + 40,
      WAIT,
    );
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="summary-rps"]').dataset.value) > 0,
      null,
      WAIT,
    );
    await page.waitForFunction(
      (min) => {
        const chart = document.querySelector('[data-testid="rate-chart"]');
        return (
          Number(chart.dataset.points) >= min &&
          Number(chart.dataset.peak) > 0 &&
          chart.dataset.pools.split(',').length === 3
        );
      },
      points0 + 3,
      WAIT,
    );

    const pools1 = await poolCounts();
    for (const pool of POOLS) {
      assert.ok(
        (pools1[pool] ?? 0) > (pools0[pool] ?? 0),
        `count for ${pool} did not grow: ${JSON.stringify({ pools0, pools1 })}`,
      );
    }
    assert.deepEqual((await page.getAttribute(sel('rate-chart'), 'data-pools')).split(',').sort(), POOLS);
    const canvas = await page.$eval(`${sel('rate-chart')} canvas`, (c) => ({ w: c.width, h: c.height }));
    assert.ok(canvas.w > 300 && canvas.h > 100, `rate chart canvas is ${canvas.w}x${canvas.h}`);
    assert.ok((await value('summary-p99')) > 0, 'p99 latency shown');
    assert.ok((await value('summary-p50')) > 0, 'p50 latency shown');
    assert.ok((await value('summary-cache')) >= 0, 'cache hit rate shown');
    assert.match(await page.textContent(sel('summary-cache')), /%/);
    assert.ok((await value('summary-shed')) >= 0, 'shed model calls shown');
    assert.match(await page.textContent(sel('summary-shed-detail')), /over-budget \d/);
    assert.ok(traffic.counts.ok > 0, `traffic: ${JSON.stringify(traffic.counts)}`);
  });

  it("shows the data plane from Envoy's stats and the measured-cost panel", async () => {
    assert.match(await page.textContent('#dataplane-title'), /^Data plane/);
    assert.match(await page.textContent('#costs-title'), /^Measured cost/);
    // The traffic of the test above went to every pool, so Envoy counted requests for each.
    try {
      await page.waitForFunction(
        (pools) => {
          const rows = [...document.querySelectorAll('[data-testid="dataplane-row"]')];
          return pools.every((p) => Number(rows.find((r) => r.dataset.pool === p)?.dataset.total) > 0);
        },
        POOLS,
        WAIT,
      );
    } catch (e) {
      throw new Error(`data plane panel: ${(await page.textContent(sel('dataplane'))).trim()} (${e.message})`);
    }
    assert.equal(await page.getAttribute(sel('dataplane'), 'data-state'), 'ready');
    const started = await page.getAttribute(
      `${sel('dataplane-extproc')} [data-counter="streams_started"]`,
      'data-value',
    );
    assert.ok(Number(started) > 0, `ext_proc streams started: ${started}`);

    // LLM usage: read from ext-proc-service (/api/llm-usage) through the dashboard server; the
    // default profile's pools name no model, so the panel is empty, never unavailable.
    assert.match(await page.textContent('#llm-usage-title'), /^LLM usage/);
    await page.waitForSelector(`${sel('llm-usage')}[data-state="empty"]`, WAIT);
    assert.equal(await page.textContent(sel('llm-usage-meta')), '0 models');

    await page.waitForSelector(`${sel('costs')}[data-state="ready"], ${sel('costs')}[data-state="empty"]`, WAIT);
    assert.match(await page.textContent(sel('costs-measured')), /^Measured stage (on|off)/);
    assert.match(await page.textContent(sel('costs-meta')), /keys/);
    if ((await page.getAttribute(sel('costs'), 'data-state')) === 'ready') {
      const keys = await page.$$eval(`${sel('cost-row')} [data-col="key"]`, (tds) => tds.map((td) => td.textContent));
      assert.ok(keys.length > 0 && keys.length <= 25, `cost keys: ${keys.length}`);
      assert.ok(
        keys.every((k) => /^[A-Z]+ \S/.test(k)),
        `cost keys are METHOD /path: ${keys.slice(0, 3)}`,
      );
    }
  });

  it('adds decisions to the table as they happen, with pool and stage', async () => {
    const seq0 = await maxSeq();
    await page.waitForFunction(
      (seq) =>
        [...document.querySelectorAll('[data-testid="decision-row"]')].filter((r) => Number(r.dataset.seq) > seq)
          .length >= 10,
      seq0,
      WAIT,
    );
    const rows = await page.$$eval(sel('decision-row'), (trs) =>
      trs.map((tr) => {
        const cell = (c) => tr.querySelector(`[data-col="${c}"]`).textContent.trim();
        return {
          seq: Number(tr.dataset.seq),
          method: cell('method'),
          path: cell('path'),
          pool: cell('pool'),
          stage: cell('stage'),
          confidence: cell('confidence'),
          reason: cell('reason'),
        };
      }),
    );
    assert.ok(rows.length <= 50, `table keeps at most 50 rows, has ${rows.length}`);
    const seqs = rows.map((r) => r.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => b - a),
      'newest first',
    );
    assert.equal(new Set(seqs).size, seqs.length, 'no decision twice');
    for (const r of rows.filter((r) => r.seq > seq0)) {
      assert.ok(POOLS.includes(r.pool), `pool of ${JSON.stringify(r)}`);
      assert.ok(STAGES.includes(r.stage), `stage of ${JSON.stringify(r)}`);
      assert.match(r.method, /^[A-Z]+$/);
      assert.match(r.path, /^\//);
      assert.match(r.confidence, /^[01]\.\d\d$/);
      assert.ok(r.reason.length > 0);
    }
    assert.equal(await page.getAttribute(sel('status-events'), 'data-state'), 'up');
  });

  it('shows when an admin API is unreachable, and recovers', async () => {
    const banner = sel('disconnected-banner');
    await page.route('**/api/xds/**', (route) =>
      route.fulfill({
        status: 502,
        contentType: 'application/json',
        body: '{"error":"xds-server admin API unreachable: ECONNREFUSED"}',
      }),
    );
    await page.waitForSelector(`${sel('status-xds')}[data-state="down"]`, WAIT);
    await page.waitForSelector(banner, { state: 'visible', ...WAIT });
    assert.match(await page.textContent(banner), /xds-server admin API.*ECONNREFUSED/);
    await page.unroute('**/api/xds/**');
    await page.waitForSelector(`${sel('status-xds')}[data-state="up"]`, WAIT);
    await page.waitForSelector(banner, { state: 'hidden', ...WAIT });
  });

  it('shows request-derived text as text and runs none of it', async () => {
    const imagesBefore = await page.$$eval('img', (imgs) => imgs.length);
    // Envoy forwards '<' as %3C; the table shows paths decoded, so these reach the DOM literally.
    const attacks = [
      {
        sent: '/xss/%3Cimg%20src=x%20onerror=window.__semlbXss=1%3E',
        shown: '/xss/<img src=x onerror=window.__semlbXss=1>',
      },
      { sent: '/xss/<script>window.__semlbXss=2</script>', shown: '/xss/<script>window.__semlbXss=2</script>' },
      { sent: '/xss/%22%3E%3Cimg%20src=x%20onerror=alert(3)%3E', shown: '/xss/"><img src=x onerror=alert(3)>' },
    ];
    for (const a of attacks) assert.ok((await send({ path: a.sent })).status < 500, a.sent);
    // Find their decisions by sequence number, so a mangled cell fails with a clear message.
    const seqs = await waitFor(async () => {
      const recent = await getJson(`${DASHBOARD_URL}api/ext/api/decisions?limit=200`);
      const found = attacks.map((a) => recent.find((d) => decoded(d.path) === a.shown)?.seq);
      return found.every(Boolean) && found;
    }, 'the attack requests in /api/decisions');
    await page.waitForFunction(
      (wanted) => wanted.every((seq) => document.querySelector(`[data-testid="decision-row"][data-seq="${seq}"]`)),
      seqs,
      WAIT,
    );
    for (const [i, seq] of seqs.entries()) {
      const cell = await page.$eval(`[data-testid="decision-row"][data-seq="${seq}"] [data-col="path"]`, (td) => ({
        text: td.textContent,
        elements: td.querySelectorAll('*').length,
      }));
      assert.equal(cell.elements, 0, `markup was injected into the path cell of ${attacks[i].sent}`);
      assert.equal(cell.text, attacks[i].shown);
    }

    const tried = await classify({
      method: 'GET',
      path: '/try/<img src=x onerror=window.__semlbXss=4><script>window.__semlbXss=5</script>',
    });
    assert.match(tried.request, /<img src=x onerror=window\.__semlbXss=4><script>window\.__semlbXss=5<\/script>/);

    await page.waitForTimeout(1000); // an injected <img> would have failed to load and fired by now
    assert.equal(await page.evaluate(() => window.__semlbXss), undefined, 'injected script ran');
    assert.equal(await page.$$eval('img', (imgs) => imgs.length), imagesBefore, 'an <img> element was injected');
    assert.equal(
      await page.$$eval('main script, main img, main iframe', (els) => els.length),
      0,
      'markup injected into the page',
    );
    assert.deepEqual(dialogs, [], 'a dialog was opened');
    assert.deepEqual(cspViolations, [], 'something tried to run inline script');
  });

  it('explains GET /healthz in the try-it panel by the rule it matched', async () => {
    const r = await classify({ method: 'GET', path: '/healthz' });
    assert.equal(r.pool, 'fast-path');
    assert.equal(r.stage, 'rules');
    assert.equal(r.rule, 'health-probes');
    assert.equal(r.confidence, '1.00');
    assert.match(r.reason, /rule 'health-probes'/);
    assert.match(r.modelInput, /healthz/);
  });

  it('explains a model inference request in the try-it panel by its pool scores and signals', async () => {
    const r = await classify({
      method: 'POST',
      path: '/v1/models/resnet:predict',
      contentType: 'application/json',
      body: '{"instances": [[0.12, 0.58, 0.33]]}',
    });
    assert.equal(r.pool, 'high-compute');
    assert.ok(['head', 'embedding', 'cache'].includes(r.stage), r.stage);
    assert.match(
      r.reason,
      /(head: high-compute \d\.\d\d, runner-up \S+ \d\.\d\d;|nearest examples of high-compute \(\d\.\d\d vs \S+ \d\.\d\d\))/,
    );
    assert.match(await page.textContent(sel('try-signals')), /method POST 1/);
    assert.match(r.rule, /^none/);
    assert.match(r.modelInput, /resnet/);
    const scores = await page.$$eval(sel('try-score'), (bars) =>
      bars.map((b) => ({ pool: b.dataset.pool, score: Number(b.querySelector('.num').textContent) })),
    );
    assert.equal(scores[0].pool, 'high-compute');
    assert.ok(scores[0].score > 0 && scores[0].score <= 1, JSON.stringify(scores));
    assert.ok(scores.length === 1 || scores[1].score < scores[0].score, JSON.stringify(scores));
  });

  it('raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});

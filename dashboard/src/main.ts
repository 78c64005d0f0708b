import './style.css';
import { api } from './api';
import { followDecisions } from './events';
import { costsUnavailable, renderCosts } from './panels/costs';
import { DataPlanePanel } from './panels/data-plane';
import { DecisionTable } from './panels/decisions';
import { LlmUsagePanel } from './panels/llm-usage';
import { renderPools } from './panels/pools';
import { RateChart } from './panels/rate-chart';
import { Shares } from './panels/shares';
import { Status } from './panels/status';
import { renderSummary } from './panels/summary';
import { initTryIt } from './panels/try-it';

const STATS_EVERY_MS = 1000;
const POOLS_EVERY_MS = 3000;
const DATA_PLANE_EVERY_MS = 2000;
const COSTS_EVERY_MS = 3000;
const LLM_USAGE_EVERY_MS = 3000;
const COST_KEYS = 25;

const status = new Status();
const rates = new RateChart();
const shares = new Shares();
const decisions = new DecisionTable();
const dataPlane = new DataPlanePanel();
const llmUsage = new LlmUsagePanel();

/** Runs `task` now and then `every` ms after each run ends (never two at once). */
function poll(task: () => Promise<void>, every: number): void {
  const run = async () => {
    await task();
    setTimeout(run, every);
  };
  void run();
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

poll(async () => {
  try {
    const stats = await api.stats();
    status.up('ext');
    renderSummary(stats);
    rates.push(stats, Date.now());
    shares.update(stats);
  } catch (e) {
    status.fail('ext', reason(e));
  }
}, STATS_EVERY_MS);

poll(async () => {
  try {
    renderPools(await api.pools());
    status.up('xds');
  } catch (e) {
    status.fail('xds', reason(e));
  }
}, POOLS_EVERY_MS);

// The next two report failures in their own panels, not as a link down: /api/stats already tells
// whether ext-proc-service answers, and Envoy's admin is optional for the page.
poll(async () => {
  try {
    dataPlane.update(await api.envoyStats(), Date.now());
  } catch (e) {
    dataPlane.unavailable(reason(e));
  }
}, DATA_PLANE_EVERY_MS);

poll(async () => {
  try {
    renderCosts(await api.costs(COST_KEYS));
  } catch (e) {
    costsUnavailable(reason(e));
  }
}, COSTS_EVERY_MS);

poll(async () => {
  try {
    llmUsage.update(await api.llmUsage(), Date.now());
  } catch (e) {
    llmUsage.unavailable(reason(e));
  }
}, LLM_USAGE_EVERY_MS);

followDecisions({
  open: () => {
    status.up('events');
    // Fill whatever the stream did not carry (before it opened, or while it was down).
    api.decisions(50).then(
      (entries) => decisions.seed(entries),
      (e) => status.fail('ext', reason(e)),
    );
  },
  decision: (entry) => decisions.add(entry),
  error: (why) => status.fail('events', why),
});

initTryIt();

import './style.css';
import { api } from './api';
import { followDecisions } from './events';
import { DecisionTable } from './panels/decisions';
import { renderPools } from './panels/pools';
import { RateChart } from './panels/rate-chart';
import { Shares } from './panels/shares';
import { Status } from './panels/status';
import { renderSummary } from './panels/summary';
import { initTryIt } from './panels/try-it';

const STATS_EVERY_MS = 1000;
const POOLS_EVERY_MS = 3000;

const status = new Status();
const rates = new RateChart();
const shares = new Shares();
const decisions = new DecisionTable();

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

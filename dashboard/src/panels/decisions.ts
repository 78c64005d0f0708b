import type { DecisionEntry } from '../api';
import { byTestId, chip, dot, el, replace } from '../dom';
import { clock, millis, poolColor, readablePath, stageColor, stageName } from '../format';

const MAX_ROWS = 50;

/**
 * The live table of recent decisions, newest first: seeded from /api/decisions and then fed one
 * entry at a time from the event stream. Entries are keyed by their sequence number, so a seed
 * that overlaps the stream adds nothing twice. Every cell is text (see dom.ts): the path and
 * reason come from requests and are never parsed as HTML.
 */
export class DecisionTable {
  private readonly body: HTMLTableSectionElement;
  private readonly counter = byTestId('decisions-count');
  private readonly seen = new Set<number>();
  private newest = 0;

  constructor() {
    const body = byTestId('decisions').querySelector('tbody');
    if (!body) throw new Error('decisions table has no tbody');
    this.body = body;
    this.renderEmpty();
  }

  /** Replaces gaps with `entries` (newest first, as the API returns them). */
  seed(entries: DecisionEntry[]): void {
    const top = entries.length ? entries[0].seq : 0;
    if (top < this.newest) this.clear(); // the service restarted: sequence numbers began again
    for (const entry of [...entries].reverse()) this.add(entry, false);
  }

  /** Adds one entry if not already shown, in sequence order. */
  add(entry: DecisionEntry, flash = true): void {
    if (this.seen.has(entry.seq)) return;
    if (this.seen.size === 0) this.body.replaceChildren();
    this.seen.add(entry.seq);
    this.newest = Math.max(this.newest, entry.seq);
    const row = this.row(entry, flash);
    const after = [...this.body.rows].find((r) => Number(r.dataset.seq) < entry.seq);
    this.body.insertBefore(row, after ?? null);
    while (this.body.rows.length > MAX_ROWS) {
      const last = this.body.rows[this.body.rows.length - 1];
      this.seen.delete(Number(last.dataset.seq));
      last.remove();
    }
    this.counter.textContent = `last ${this.body.rows.length} · newest #${this.newest}`;
  }

  private row(e: DecisionEntry, flash: boolean): HTMLTableRowElement {
    const stage = stageName(e.stage);
    const path = readablePath(e.path);
    return el(
      'tr',
      {
        'data-testid': 'decision-row',
        'data-seq': e.seq,
        'data-pool': e.pool,
        'data-stage': stage,
        class: flash ? 'fresh' : undefined,
      },
      el('td', { class: 'time' }, clock(e.timeMillis)),
      el('td', { 'data-col': 'method' }, e.method),
      el(
        'td',
        { 'data-col': 'path', class: 'path', title: path === e.path ? undefined : `as received: ${e.path}` },
        path,
      ),
      el('td', { 'data-col': 'pool' }, dot(poolColor(e.pool)), e.pool),
      el('td', { 'data-col': 'stage' }, chip(stage, stageColor(stage))),
      el('td', { 'data-col': 'confidence', class: 'num' }, e.confidence.toFixed(2)),
      el('td', { 'data-col': 'reason', class: 'reason', title: e.reason }, e.reason),
      el('td', { 'data-col': 'latency', class: 'num' }, millis(e.latencyMs)),
    );
  }

  private clear(): void {
    this.seen.clear();
    this.newest = 0;
    this.renderEmpty();
  }

  private renderEmpty(): void {
    replace(
      this.body,
      el(
        'tr',
        { class: 'empty' },
        el('td', { colspan: 8, class: 'muted' }, 'Waiting for decisions: send traffic through Envoy on :8080.'),
      ),
    );
    this.counter.textContent = '';
  }
}

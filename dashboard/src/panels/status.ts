import { byTestId, replace } from '../dom';
import { clock } from '../format';

/** The three live connections the page depends on. */
export type Link = 'ext' | 'events' | 'xds';

const NAMES: Record<Link, string> = {
  ext: 'ext-proc-service admin API',
  events: 'decision stream',
  xds: 'xds-server admin API',
};

/**
 * Connection badges in the header and the "disconnected" banner. A link is up after a
 * successful call and down after a failed one; the banner lists the links that are down and
 * since when, and disappears once all recover. Figures on the page stay at their last values.
 */
export class Status {
  private readonly down = new Map<Link, { since: number; why: string }>();
  private readonly banner = byTestId('disconnected-banner');

  up(link: Link): void {
    this.badge(link, 'up', `${NAMES[link]}: connected`);
    if (this.down.delete(link)) this.render();
  }

  fail(link: Link, why: string): void {
    const since = this.down.get(link)?.since ?? Date.now();
    this.down.set(link, { since, why });
    this.badge(link, 'down', `${NAMES[link]}: ${why}`);
    this.render();
  }

  private badge(link: Link, state: string, title: string): void {
    const badge = byTestId(`status-${link}`);
    badge.dataset.state = state;
    badge.title = title;
  }

  private render(): void {
    if (this.down.size === 0) {
      this.banner.hidden = true;
      replace(this.banner);
      return;
    }
    const parts = [...this.down].map(([link, { since, why }]) => {
      const detail = why.startsWith(NAMES[link]) ? why.slice(NAMES[link].length).trim() : why;
      return `${NAMES[link]} since ${clock(since)} (${detail})`;
    });
    replace(this.banner, `Disconnected: ${parts.join('; ')}. Retrying; figures below are the last received.`);
    this.banner.hidden = false;
  }
}

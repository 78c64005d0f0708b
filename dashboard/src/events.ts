import { EVENTS_URL, type DecisionEntry } from './api';

export interface EventHandlers {
  /** The stream is (re)connected; decisions from before it may have been missed. */
  open(): void;
  decision(entry: DecisionEntry): void;
  error(why: string): void;
}

/**
 * Follows ext-proc-service's decision stream (server-sent events). EventSource retries by itself
 * after a dropped connection, but gives up for good when a reconnect gets an error response
 * (server.mjs answers 502 while the service is down), so this reopens it a few seconds later.
 */
export function followDecisions(handlers: EventHandlers, retryMillis = 2000): void {
  const connect = () => {
    const source = new EventSource(EVENTS_URL);
    source.onopen = () => handlers.open();
    source.addEventListener('decision', (event) => {
      try {
        handlers.decision(JSON.parse((event as MessageEvent<string>).data) as DecisionEntry);
      } catch {
        // a malformed event is skipped; the next seed fills the table
      }
    });
    source.onerror = () => {
      handlers.error(source.readyState === EventSource.CLOSED ? 'stream refused' : 'stream dropped, reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, retryMillis);
      }
    };
  };
  connect();
}

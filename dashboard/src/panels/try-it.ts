import { api, ApiError, type ClassifyRequest, type ClassifyResult } from '../api';
import { byTestId, chip, dot, el, replace } from '../dom';
import { millis, poolColor, stageColor, stageName } from '../format';

const PRESETS: { label: string; request: ClassifyRequest }[] = [
  { label: 'Health check', request: { method: 'GET', path: '/healthz', contentType: '', body: '' } },
  {
    label: 'Model inference',
    request: {
      method: 'POST',
      path: '/v1/models/resnet:predict',
      contentType: 'application/json',
      body: '{"instances": [[0.12, 0.58, 0.33]]}',
    },
  },
  {
    label: 'Analytics query',
    request: {
      method: 'POST',
      path: '/api/query',
      contentType: 'application/json',
      body: '{"query": "SELECT region, SUM(total) FROM orders JOIN customers ON customers.id = orders.customer_id GROUP BY region"}',
    },
  },
  { label: 'Record lookup', request: { method: 'GET', path: '/api/products/8812', contentType: '', body: '' } },
  {
    label: 'Place order',
    request: {
      method: 'POST',
      path: '/api/orders',
      contentType: 'application/json',
      body: '{"customerId": 41, "items": [{"sku": "B-220", "qty": 2}]}',
    },
  },
];

/** `nearest examples of P (0.61 vs Q 0.19): 'example'`, as EmbeddingStage writes it. */
const NEAREST = /nearest examples of (\S+) \((\d+\.\d+) vs (\S+) (\d+\.\d+)\): '(.*)'/;
/** `head: P 0.91, runner-up Q 0.06; top signals`, as HeadStage writes it. */
const HEAD = /head: (\S+) (\d+\.\d+), runner-up (\S+) (\d+\.\d+); (.*)/;

/**
 * The "try a request" form: a dry run through POST /api/classify, showing the pool, stage,
 * confidence and the explanation (the matched rule; the decision head's pool probabilities
 * and top signals, or the embedding scores and the nearest example; the request's signals and
 * what the model saw). Everything shown is text.
 */
export function initTryIt(): void {
  const form = byTestId<HTMLFormElement>('try-form');
  const result = byTestId('try-result');
  const submit = byTestId<HTMLButtonElement>('try-submit');
  const field = (name: string) =>
    form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

  replace(
    byTestId('try-presets'),
    ...PRESETS.map((preset) => {
      const button = el('button', { type: 'button', class: 'preset' }, preset.label);
      button.addEventListener('click', () => {
        for (const [name, value] of Object.entries(preset.request)) field(name).value = value;
      });
      return button;
    }),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request: ClassifyRequest = {
      method: field('method').value,
      path: field('path').value || '/',
      contentType: field('contentType').value.trim(),
      body: field('body').value,
    };
    submit.disabled = true;
    result.dataset.state = 'pending';
    replace(result, el('p', { class: 'muted' }, 'Classifying…'));
    try {
      show(result, request, await api.classify(request));
    } catch (e) {
      result.dataset.state = 'error';
      const why =
        e instanceof ApiError && e.status !== 0
          ? `HTTP ${e.status}: ${e.message}`
          : `cannot reach ext-proc-service (${String((e as Error).message)})`;
      replace(result, el('p', { class: 'warn', 'data-testid': 'try-error' }, why));
    } finally {
      submit.disabled = false;
    }
  });
}

function show(result: HTMLElement, request: ClassifyRequest, r: ClassifyResult): void {
  const stage = stageName(r.decision.stage);
  const x = r.explanation;
  const rows: [string, Node | string, string][] = [
    [
      'request',
      `${request.method} ${request.path}${request.contentType ? ` (${request.contentType})` : ''}`,
      'try-request',
    ],
    ['reason', r.decision.reason, 'try-reason'],
    ['took', millis(r.latencyMs), 'try-latency'],
    ['matched rule', x.matchedRule ?? `none: decided by the ${stage} stage`, 'try-rule'],
  ];
  const nearest = NEAREST.exec(r.decision.reason);
  if (nearest) rows.push(['nearest examples', scores(nearest, 'closest example: ', true), 'try-scores']);
  const head = HEAD.exec(r.decision.reason);
  if (head) rows.push(['pool probabilities', scores(head, 'what decided it: ', false), 'try-scores']);
  const signals = Object.entries(x.signals ?? {});
  if (signals.length > 0)
    rows.push(['request signals', signals.map(([name, value]) => `${name} ${value}`).join(', '), 'try-signals']);
  rows.push(
    ['body read as', x.bodyKind.toLowerCase(), 'try-body-kind'],
    ['model input', x.modelInput, 'try-model-input'],
    ['config', `version ${x.configVersion}`, 'try-config'],
  );

  result.dataset.state = 'done';
  replace(
    result,
    el(
      'div',
      { class: 'verdict' },
      el('span', { class: 'pool-name', 'data-testid': 'try-pool' }, dot(poolColor(r.decision.pool)), r.decision.pool),
      el('span', { 'data-testid': 'try-stage' }, chip(stage, stageColor(stage))),
      el(
        'span',
        { class: 'muted' },
        'confidence ',
        el('strong', { 'data-testid': 'try-confidence' }, r.decision.confidence.toFixed(2)),
      ),
    ),
    el(
      'dl',
      { 'data-testid': 'try-explanation' },
      ...rows.flatMap(([term, value, id]) => [el('dt', {}, term), el('dd', { 'data-testid': id }, value)]),
    ),
  );
}

/** Best and runner-up pool scores as small bars, and the nearest example or the top signals. */
function scores([, best, bestScore, second, secondScore, note]: RegExpExecArray, label: string, quote: boolean): Node {
  const bar = (pool: string, score: string) => {
    const fill = el('span', { class: 'fill' });
    fill.style.width = `${Math.max(0, Math.min(1, Number(score))) * 100}%`;
    fill.style.background = poolColor(pool);
    return el(
      'div',
      { class: 'score', 'data-testid': 'try-score', 'data-pool': pool },
      el('span', { class: 'label' }, pool),
      el('span', { class: 'bar' }, fill),
      el('span', { class: 'num' }, score),
    );
  };
  return el(
    'div',
    {},
    bar(best, bestScore),
    second === '-' ? null : bar(second, secondScore),
    el('div', { class: 'muted small' }, label, quote ? el('q', {}, note) : note),
  );
}

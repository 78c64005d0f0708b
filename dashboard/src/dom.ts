/**
 * The only way this page builds DOM: elements and text nodes. Every string given here ends up
 * as a text node or an attribute value, never parsed as HTML, so request-derived text (paths,
 * reasons, model input) cannot inject markup or script. Do not add innerHTML/outerHTML/
 * insertAdjacentHTML anywhere in this code.
 */

export type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`data-*`, `class`, `title`...) and children (strings become text). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) node.setAttribute(name, String(value));
  }
  append(node, ...children);
  return node;
}

/** Appends children; strings and numbers as text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** The element with `data-testid` = `id`; throws if the page lacks it (a wiring bug). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!found) throw new Error(`page has no [data-testid="${id}"]`);
  return found;
}

/** A small coloured dot, for pool and stage legends. */
export function dot(color: string): HTMLSpanElement {
  const span = el('span', { class: 'dot', 'aria-hidden': 'true' });
  span.style.background = color;
  return span;
}

/** A rounded label outlined in `color`, for stages. */
export function chip(text: string, color: string): HTMLSpanElement {
  const span = el('span', { class: 'chip' }, text);
  span.style.color = color;
  span.style.borderColor = color;
  return span;
}

/*
 * A tiny element builder. Course text is always set as text, never as HTML, so nothing in the
 * data can inject markup.
 */
(function (window) {
  'use strict';
  const Ruihe = (window.Ruihe = window.Ruihe || {});
  const document = window.document;

  /**
   * el('button', { type: 'button', class: 'primary', onclick: fn }, ['Next'])
   * Keys: class, text, on<event> (listener), boolean true (bare attribute), anything else (attribute).
   */
  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, '');
      else node.setAttribute(key, String(value));
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** Move focus to a heading after a screen change so screen readers announce it. */
  function focusHeading(container) {
    const heading = container.querySelector('[data-focus-target]');
    if (heading) heading.focus();
  }

  Ruihe.dom = { el, clear, focusHeading };
})(window);

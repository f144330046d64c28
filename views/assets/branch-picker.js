/*
 * Branch picker (issue 17): turns a branch-code field into a searchable tree, one level loaded at a
 * time from /api/branch-tree (already limited to what the user may see). Without script the code
 * field stays and still works. Keyboard follows the WAI-ARIA tree pattern: ↑/↓ move, → opens or
 * goes to the first child, ← closes or goes to the parent, Home/End, Enter or Space picks,
 * Esc closes; ↓ in the search box enters the list.
 */
(function () {
  'use strict';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setup(root) {
    var input = root.querySelector('[data-branch-code]');
    var openButton = root.querySelector('[data-branch-open]');
    var clearButton = root.querySelector('[data-branch-clear]');
    var chosen = root.querySelector('[data-branch-chosen]');
    var panel = root.querySelector('[data-branch-panel]');
    var search = root.querySelector('[data-branch-search]');
    var tree = root.querySelector('[role="tree"]');
    var status = root.querySelector('[data-branch-status]');
    var endpoint = root.getAttribute('data-endpoint');
    var words = { loading: root.getAttribute('data-loading'), none: root.getAttribute('data-none'), failed: root.getAttribute('data-failed'), results: root.getAttribute('data-results') };
    var searchTimer = null;
    var searchSeq = 0;

    // The code travels in a hidden field; people see the name.
    input.type = 'hidden';
    root.querySelector('[data-branch-typed]').hidden = true;
    root.querySelector('[data-branch-enhanced]').hidden = false;

    function load(query) {
      return fetch(endpoint + '?' + new URLSearchParams(query).toString(), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (body) { return body.branches; });
    }

    // A flat tree (aria-level, aria-posinset, aria-setsize) rather than nested groups: each row's
    // name is its own text, and a closed branch simply has no rows below it.
    var cache = {};

    function item(b, level, pos, size, flat) {
      var li = el('li', { role: 'treeitem', tabindex: '-1', 'aria-level': String(level), 'aria-posinset': String(pos), 'aria-setsize': String(size),
        'aria-selected': String(b.code === input.value), 'data-id': String(b.id), 'data-code': b.code, 'data-name': b.name });
      var label = el('span', { class: 'branch-node' });
      label.style.paddingLeft = flat ? '0' : ((level - 1) * 1.25) + 'rem';
      label.appendChild(el('span', { class: 'branch-twisty', 'aria-hidden': 'true' }, !flat && b.hasChildren ? '▸' : ''));
      label.appendChild(el('span', {}, b.name));
      label.appendChild(el('span', { class: 'branch-code' }, ' ' + b.code));
      if (flat && b.trail && b.trail.length) label.appendChild(el('span', { class: 'branch-trail' }, ' · ' + b.trail.join(' › ')));
      li.appendChild(label);
      if (!flat && b.hasChildren) li.setAttribute('aria-expanded', 'false');
      return li;
    }

    function rows(branches, level, flat) {
      return branches.map(function (b, i) { return item(b, level, i + 1, branches.length, flat); });
    }

    function fill(branches, flat) {
      tree.textContent = '';
      rows(branches, 1, flat).forEach(function (li) { tree.appendChild(li); });
    }

    function levelOf(li) { return Number(li.getAttribute('aria-level')); }

    /** The rows below `li` that belong to it (deeper levels until the next row at its level or above). */
    function descendants(li) {
      var out = [];
      for (var next = li.nextElementSibling; next && levelOf(next) > levelOf(li); next = next.nextElementSibling) out.push(next);
      return out;
    }

    function visibleItems() {
      return Array.prototype.slice.call(tree.querySelectorAll('[role="treeitem"]'));
    }

    function focusItem(li) {
      if (!li) return;
      tree.querySelectorAll('[role="treeitem"][tabindex="0"]').forEach(function (x) { x.setAttribute('tabindex', '-1'); });
      li.setAttribute('tabindex', '0');
      li.focus();
    }

    function parentOf(li) {
      for (var prev = li.previousElementSibling; prev; prev = prev.previousElementSibling) if (levelOf(prev) < levelOf(li)) return prev;
      return null;
    }

    function expand(li) {
      if (li.getAttribute('aria-expanded') !== 'false') return Promise.resolve();
      var id = li.getAttribute('data-id');
      li.setAttribute('aria-expanded', 'true');
      li.querySelector('.branch-twisty').textContent = '▾';
      var got = cache[id] ? Promise.resolve(cache[id]) : (li.setAttribute('aria-busy', 'true'), load({ parent: id }));
      return got.then(function (branches) {
        cache[id] = branches;
        var after = li;
        rows(branches, levelOf(li) + 1, false).forEach(function (row) { after.insertAdjacentElement('afterend', row); after = row; });
      }, function () { status.textContent = words.failed; li.setAttribute('aria-expanded', 'false'); li.querySelector('.branch-twisty').textContent = '▸'; })
        .then(function () { li.removeAttribute('aria-busy'); });
    }

    function collapse(li) {
      if (li.getAttribute('aria-expanded') !== 'true') return;
      descendants(li).forEach(function (row) { row.remove(); });
      li.setAttribute('aria-expanded', 'false');
      li.querySelector('.branch-twisty').textContent = '▸';
    }

    function pick(li) {
      input.value = li.getAttribute('data-code');
      chosen.textContent = li.getAttribute('data-name') + ' (' + li.getAttribute('data-code') + ')';
      clearButton.hidden = false;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      close();
    }

    function showRoots() {
      status.textContent = words.loading;
      return load({}).then(function (branches) {
        fill(branches, false);
        status.textContent = branches.length ? '' : words.none;
      }, function () { status.textContent = words.failed; });
    }

    function open() {
      panel.hidden = false;
      openButton.setAttribute('aria-expanded', 'true');
      if (tree.childElementCount === 0) showRoots();
      search.focus();
    }

    function close() {
      panel.hidden = true;
      openButton.setAttribute('aria-expanded', 'false');
      openButton.focus();
    }

    openButton.addEventListener('click', function () { if (panel.hidden) open(); else close(); });
    clearButton.addEventListener('click', function () {
      input.value = '';
      chosen.textContent = root.getAttribute('data-empty');
      clearButton.hidden = true;
      openButton.focus();
    });

    search.addEventListener('input', function () {
      clearTimeout(searchTimer);
      var text = search.value.trim();
      searchTimer = setTimeout(function () {
        var seq = ++searchSeq;
        if (!text) { showRoots(); return; }
        status.textContent = words.loading;
        load({ q: text }).then(function (branches) {
          if (seq !== searchSeq) return;
          fill(branches, true);
          status.textContent = branches.length ? words.results.replace('{count}', String(branches.length)) : words.none;
        }, function () { status.textContent = words.failed; });
      }, 200);
    });
    search.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); focusItem(visibleItems()[0]); }
      else if (e.key === 'Escape') { e.preventDefault(); close(); }
      else if (e.key === 'Enter') { e.preventDefault(); } // never submits the surrounding form
    });

    tree.addEventListener('click', function (e) {
      var li = e.target.closest('[role="treeitem"]');
      if (!li) return;
      if (e.target.classList.contains('branch-twisty')) {
        if (li.getAttribute('aria-expanded') === 'true') collapse(li); else expand(li);
        focusItem(li);
        return;
      }
      pick(li);
    });
    tree.addEventListener('keydown', function (e) {
      var li = e.target.closest('[role="treeitem"]');
      if (!li) return;
      var items = visibleItems();
      var index = items.indexOf(li);
      switch (e.key) {
        case 'ArrowDown': focusItem(items[index + 1]); break;
        case 'ArrowUp': if (index === 0) search.focus(); else focusItem(items[index - 1]); break;
        case 'Home': focusItem(items[0]); break;
        case 'End': focusItem(items[items.length - 1]); break;
        case 'ArrowRight':
          if (li.getAttribute('aria-expanded') === 'false') expand(li);
          else if (li.getAttribute('aria-expanded') === 'true') focusItem(descendants(li)[0]);
          break;
        case 'ArrowLeft':
          if (li.getAttribute('aria-expanded') === 'true') collapse(li);
          else focusItem(parentOf(li));
          break;
        case 'Enter': case ' ': pick(li); break;
        case 'Escape': close(); break;
        default: return;
      }
      e.preventDefault();
    });
  }

  document.querySelectorAll('[data-branch-picker]').forEach(setup);
})();

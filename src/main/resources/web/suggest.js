// Titles suggested under every search box while typing (GET /api/v1/suggest). The forms work
// without this file: Enter without a chosen title still submits the search as before.
(() => {
  'use strict';
  const script = document.currentScript;
  const endpoint = script.dataset.endpoint;
  const label = script.dataset.label;
  const DELAY_MS = 150;
  let boxes = 0;

  for (const form of document.querySelectorAll('form[role=search]')) {
    const input = form.querySelector('input[type=search][name=q]');
    if (input && window.fetch && window.AbortController) {
      enhance(form, input, 'suggest-' + ++boxes);
    }
  }

  function enhance(form, input, id) {
    const list = document.createElement('ul');
    list.id = id;
    list.className = 'suggest';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', label);
    list.hidden = true;
    form.append(list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');
    const pack = form.querySelector('input[type=hidden][name=pack]');
    let timer = 0;
    let pending = null;
    let shown = [];
    let active = -1;

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (list.hidden) {
          if (shown.length === 0) return;
          open();
        }
        e.preventDefault();
        const n = shown.length;
        select(e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
      } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
        e.preventDefault();
        go(shown[active].url);
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', close);
    // A press on a title must not take the focus from the box first (that would close the list).
    list.addEventListener('mousedown', (e) => e.preventDefault());
    list.addEventListener('click', (e) => {
      const option = e.target.closest('[role=option]');
      if (option) go(shown[Number(option.dataset.index)].url);
    });

    function ask() {
      const q = input.value.trim();
      if (pending) pending.abort();
      pending = null;
      if (q === '') {
        show([]);
        return;
      }
      const asking = new AbortController();
      pending = asking;
      let url = endpoint + '?q=' + encodeURIComponent(q);
      if (pack && pack.value) url += '&pack=' + encodeURIComponent(pack.value);
      fetch(url, { signal: asking.signal, headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : null))
        .then((answer) => {
          // An answer to words no longer in the box is of no use.
          if (answer && pending === asking && input.value.trim() === q) show(answer.suggestions);
        })
        .catch(() => {}); // aborted, or the server is busy: the form still searches
    }

    function show(suggestions) {
      shown = suggestions;
      active = -1;
      input.removeAttribute('aria-activedescendant');
      // The pack's name tells apart titles from different packs; under one pack it is only noise.
      const packs = new Set(suggestions.map((s) => s.pack)).size;
      list.replaceChildren(...suggestions.map((s, i) => {
        const option = document.createElement('li');
        option.id = id + '-' + i;
        option.dataset.index = i;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        option.append(line('t', s.title));
        if (packs > 1) option.append(line('p', s.packTitle));
        return option;
      }));
      if (suggestions.length > 0 && document.activeElement === input) open(); else close();
    }

    // Each title in its own direction, aligned as the page is: an English title on an Arabic page.
    function line(kind, text) {
      const span = document.createElement('span');
      span.className = kind;
      const bdi = document.createElement('bdi');
      bdi.textContent = text;
      span.append(bdi);
      return span;
    }

    function select(i) {
      if (active >= 0) list.children[active].setAttribute('aria-selected', 'false');
      active = i;
      const option = list.children[i];
      option.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    }

    function open() {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      if (active >= 0 && list.children[active]) list.children[active].setAttribute('aria-selected', 'false');
      active = -1;
    }

    function go(url) {
      close();
      window.location.assign(url);
    }
  }
})();

// The export page: what the ticked packs need against the chosen drive, kept true while the
// admin ticks (the server wrote the same sentence for the form as it was sent).
(function () {
  'use strict';
  // As Sizes.human on the server: decimal units, one decimal below 10.
  function human(bytes) {
    if (bytes < 1000) {
      return bytes + ' B';
    }
    var units = ['KB', 'MB', 'GB', 'TB'];
    var v = bytes;
    var u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return (v < 10 ? v.toFixed(1) : v.toFixed(0)) + ' ' + units[u];
  }
  function fill(template, args) {
    return template.replace(/\{(\d)\}/g, function (m, i) {
      return args[+i];
    });
  }
  function update() {
    // Looked up each time: following the jobs swaps in a new copy of the page.
    var room = document.getElementById('export-room');
    var form = room && room.closest('form');
    if (!form) {
      return;
    }
    var bytes = 0;
    form.querySelectorAll('input[name=pack]:checked').forEach(function (box) {
      bytes += +box.getAttribute('data-bytes');
    });
    var copies = (form.elements.zips.checked ? 1 : 0) + (form.elements.mirror.checked ? 1 : 0);
    var need = bytes * Math.max(1, copies);
    var drive = form.querySelector('input[name=target]:checked');
    var folder = form.elements.folder && form.elements.folder.value.trim();
    var free = drive && !folder ? +drive.getAttribute('data-free') : -1;
    var tooSmall = bytes > 0 && free >= 0 && need > free;
    var text = bytes === 0 ? room.getAttribute('data-none')
      : free < 0 ? fill(room.getAttribute('data-needs'), [human(need)])
      : fill(room.getAttribute(tooSmall ? 'data-too-small' : 'data-fits'),
             [human(need), drive.getAttribute('data-label'), human(free)]);
    room.textContent = text;
    room.className = tooSmall ? 'alert' : 'meta';
  }
  document.addEventListener('change', update);
  document.addEventListener('input', update);
}());

// Follows running jobs in place on the drive pages. Every two seconds it reads the same page
// again and swaps in its progress section only, so whatever the admin is ticking meanwhile
// stays ticked. Once every job has ended, it swaps in the whole page once (the packs' states
// have changed). Without JavaScript the page reloads itself instead (a refresh in <noscript>).
(function () {
  'use strict';
  var live = document.getElementById('progress');
  if (!live || live.getAttribute('data-live') !== 'running' || !window.fetch || !window.DOMParser) {
    return;
  }
  function poll() {
    fetch(location.href, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) {
        if (!r.ok || r.redirected) {
          throw new Error('status ' + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var fresh = page.getElementById('progress');
        if (!fresh) {
          throw new Error('no progress section');
        }
        if (fresh.getAttribute('data-live') === 'running') {
          live.replaceWith(document.importNode(fresh, true));
          live = document.getElementById('progress');
          setTimeout(poll, 2000);
        } else {
          document.querySelector('main').replaceWith(document.importNode(page.querySelector('main'), true));
        }
      })
      .catch(function () {
        // A busy server or a dropped Wi-Fi: try again a little later; the link still works.
        setTimeout(poll, 5000);
      });
  }
  setTimeout(poll, 2000);
}());

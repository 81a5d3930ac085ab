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

// The home page's story tray, kept current: when a followed account posts a story (a
// "stories.tray" event on the account's websocket, from live.js), the tray is drawn again by
// the server and swapped in, so the account moves to the front with an unseen ring.
(function () {
  "use strict";

  var WAIT_MS = 400; // stories posted together redraw the tray once
  var pending = null;

  function redraw() {
    pending = null;
    var tray = document.querySelector("[data-story-tray]");
    if (!tray || !tray.dataset.trayUrl) return;
    fetch(tray.dataset.trayUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var drawn = new DOMParser().parseFromString(html, "text/html").querySelector("[data-story-tray]");
        var current = document.querySelector("[data-story-tray]");
        if (drawn && current) current.replaceWith(document.importNode(drawn, true));
      })
      .catch(function () {
        // Offline: the tray is drawn afresh on the next page load anyway.
      });
  }

  document.addEventListener("glimpse:event", function (event) {
    var kind = (event.detail || {}).kind;
    if ((kind === "stories.tray" || kind === "refetch") && pending === null) {
      pending = window.setTimeout(redraw, WAIT_MS);
    }
  });
})();

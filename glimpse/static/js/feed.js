// The home feed's "New posts" banner: ask the API how many entries arrived since the newest
// one shown, and show the banner (a link reloading the page) when some did. It asks when a
// "feed.new_posts" event arrives on the account's websocket (live.js), and every minute in
// case the socket is down.
(function () {
  "use strict";

  var PERIOD_MS = 60000;

  function start() {
    var banner = document.querySelector("[data-feed-new]");
    if (!banner) return;
    var url = banner.dataset.newCountUrl + "?since_id=" + encodeURIComponent(banner.dataset.sinceId);
    var timer = null;

    function check() {
      if (!banner.hidden) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (body && body.count > 0) {
            banner.hidden = false;
            window.clearInterval(timer);
          }
        })
        .catch(function () {
          // Offline or the server is restarting: try again next time.
        });
    }

    timer = window.setInterval(function () {
      if (!document.hidden) check();
    }, PERIOD_MS);
    document.addEventListener("glimpse:event", function (event) {
      var kind = (event.detail || {}).kind;
      if (kind === "feed.new_posts" || kind === "refetch") check();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

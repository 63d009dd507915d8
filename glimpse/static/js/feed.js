// The home feed's "New posts" banner: every 30 seconds, ask the API how many entries arrived
// since the newest one shown, and show the banner (a link reloading the page) when some did.
(function () {
  "use strict";

  var PERIOD_MS = 30000;

  function start() {
    var banner = document.querySelector("[data-feed-new]");
    if (!banner) return;
    var url = banner.dataset.newCountUrl + "?since_id=" + encodeURIComponent(banner.dataset.sinceId);
    var timer = window.setInterval(function () {
      if (document.hidden) return;
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
    }, PERIOD_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

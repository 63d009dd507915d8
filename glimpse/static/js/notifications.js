// The unread badge in the navigation: updated live from the account's websocket events.
// live.js dispatches a "glimpse:event" on document for each event; this listens to the
// "unread_count" ones and shows the new count without a reload.
(function () {
  "use strict";

  function show(count) {
    var badges = document.querySelectorAll("[data-notifications-badge]");
    badges.forEach(function (badge) {
      var number = badge.querySelector("[data-notifications-count]");
      if (number) {
        number.textContent = count > 99 ? "99+" : String(count);
      }
      badge.hidden = !(count > 0);
    });
    document.querySelectorAll("[data-notifications-link]").forEach(function (link) {
      link.setAttribute(
        "aria-label",
        count > 0 ? "Notifications, " + count + " unread" : "Notifications"
      );
    });
  }

  // The notifications page reads what it shows by sending its "Mark as read" form (a POST
  // with the CSRF token the form carries): opening the page with GET changes nothing.
  function readShown() {
    var form = document.querySelector("form[data-notifications-read]");
    if (!form || !window.fetch) return;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && typeof answer.count === "number") {
          show(answer.count);
          form.hidden = true;
        }
      })
      .catch(function () {
        // Unread for now: the button stays for another try.
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", readShown);
  } else {
    readShown();
  }

  document.addEventListener("glimpse:event", function (event) {
    var detail = event.detail || {};
    if (detail.kind === "unread_count" && detail.data && typeof detail.data.count === "number") {
      show(detail.data.count);
    }
  });
})();

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

  document.addEventListener("glimpse:event", function (event) {
    var detail = event.detail || {};
    if (detail.kind === "unread_count" && detail.data && typeof detail.data.count === "number") {
      show(detail.data.count);
    }
  });
})();

// The unread badge of the inbox link in the navigation: updated live from the account's
// websocket events. live.js dispatches a "glimpse:event" on document for each event; this
// listens to "messages.unread" ({count}: conversations with unread messages).
(function () {
  "use strict";

  function show(count) {
    document.querySelectorAll("[data-messages-badge]").forEach(function (badge) {
      var number = badge.querySelector("[data-messages-count]");
      if (number) number.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = !(count > 0);
    });
    document.querySelectorAll("[data-messages-link]").forEach(function (link) {
      link.setAttribute("aria-label", count > 0 ? "Messages, " + count + " unread" : "Messages");
    });
  }

  document.addEventListener("glimpse:event", function (event) {
    var detail = event.detail || {};
    if (detail.kind === "messages.unread" && detail.data && typeof detail.data.count === "number") {
      show(detail.data.count);
    }
  });
})();

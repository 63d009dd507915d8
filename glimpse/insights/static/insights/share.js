// Record a share when someone copies a post's link from its Share menu (insights count it).
(function () {
  "use strict";

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-post]");
    if (!button || !document.body.classList.contains("has-bottombar")) return; // logged in only
    var post = button.closest("[data-post]");
    var id = post ? post.dataset.post : (button.dataset.copyPost || "").replace("permalink-", "");
    if (!/^\d+$/.test(id)) return;
    fetch("/api/glimpse/v1/shares", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrf(),
      },
      body: JSON.stringify({ post_id: id }),
    }).catch(function () {});
  });
})();

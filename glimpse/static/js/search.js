// Live results under the top bar's search box; without this file the box submits to /search/.
(function () {
  "use strict";

  var DELAY_MS = 200;
  var KINDS = [
    ["accounts", "Account"],
    ["hashtags", "Hashtag"],
    ["places", "Place"],
    ["posts", "Post"],
  ];

  function link(kind, item) {
    if (kind === "accounts") {
      return ["/" + encodeURIComponent(item.username) + "/", "@" + item.username, item.display_name];
    }
    if (kind === "hashtags") {
      var count = item.post_count + (item.post_count === 1 ? " post" : " posts");
      return ["/explore/tags/" + encodeURIComponent(item.name) + "/", "#" + item.name, count];
    }
    if (kind === "places") {
      return ["/explore/places/" + item.id + "/", item.name, item.address];
    }
    var caption = (item.caption || "").slice(0, 80) || "(no caption)";
    return ["/p/" + item.id + "/", "@" + item.author.username + ": " + caption, ""];
  }

  function setup(form) {
    var input = form.querySelector("input[role=combobox]");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = form.querySelector("[aria-live]");
    var timer = null;
    var pending = null;
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.classList.toggle("is-active", i === active);
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function show(data) {
      list.textContent = "";
      var n = 0;
      KINDS.forEach(function (pair) {
        (data[pair[0]] || []).forEach(function (item) {
          var parts = link(pair[0], item);
          var option = document.createElement("li");
          option.className = "topsearch__option";
          option.id = input.id + "-option-" + n++;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          var anchor = document.createElement("a");
          anchor.href = parts[0];
          anchor.tabIndex = -1;
          anchor.textContent = parts[1];
          var kind = document.createElement("span");
          kind.className = "topsearch__kind";
          kind.textContent = parts[2] ? pair[1] + " · " + parts[2] : pair[1];
          anchor.appendChild(kind);
          option.appendChild(anchor);
          list.appendChild(option);
        });
      });
      status.textContent = n ? n + " results" : "No results";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = n === 0;
      input.setAttribute("aria-expanded", n ? "true" : "false");
    }

    function search() {
      var q = input.value.trim();
      if (pending) pending.abort();
      if (!q) {
        close();
        return;
      }
      pending = new AbortController();
      var url = form.dataset.api + "?type=top&limit=5&q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : {};
        })
        .then(show)
        .catch(function (error) {
          if (error.name !== "AbortError") close();
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options().length) return;
        event.preventDefault();
        if (list.hidden) {
          // A closed list opens again on an arrow, as in any combobox.
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        // Open the highlighted result; with none, the form submits to the search page.
        event.preventDefault();
        window.location.assign(options()[active].querySelector("a").href);
      } else if (event.key === "Escape" && !list.hidden) {
        // The first Escape closes the list and keeps the text; a second one clears it.
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("focus", function () {
      if (options().length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
    // Someone quick may have typed before this file ran: answer what is already there.
    if (document.activeElement === input && input.value.trim()) search();
    form.dataset.ready = "true";
  }

  function ready() {
    var form = document.getElementById("topbar-search");
    if (form) setup(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

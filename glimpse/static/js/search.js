// Live results under the search box of Explore (and of the top bar for visitors), with each
// result's picture or badge; without this file the box submits to /search/. On /search/ itself
// htmx asks the page again as one types, and this file only hides the button it no longer needs.
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
      return ["/" + encodeURIComponent(item.username) + "/", item.username, item.display_name];
    }
    if (kind === "hashtags") {
      var count = item.post_count + (item.post_count === 1 ? " post" : " posts");
      return ["/explore/tags/" + encodeURIComponent(item.name) + "/", "#" + item.name, count];
    }
    if (kind === "places") {
      return ["/explore/places/" + item.id + "/", item.name, item.address];
    }
    var caption = (item.caption || "").slice(0, 80) || "(no caption)";
    return ["/p/" + item.id + "/", caption, item.author.username];
  }

  var SVG = "http://www.w3.org/2000/svg";
  var PIN = "M20 10c0 6-8 12-8 12s-8-6-8-12a8 8 0 0 1 16 0z";

  function smallest(urls) {
    var best = null;
    Object.keys(urls || {}).forEach(function (size) {
      if (best === null || Number(size) < Number(best)) best = size;
    });
    return best === null ? "" : urls[best];
  }

  function thumbnail(post) {
    var media = (post.media || [])[0];
    if (!media) return "";
    var found = "";
    (media.renditions || []).forEach(function (r) {
      if (!found && r.format === "jpeg" && /^(poster-)?(thumb|320)$/.test(r.name)) found = r.url;
    });
    return found;
  }

  // The picture of a result: an avatar (or its initial), a post's thumbnail, a # or pin badge.
  function visual(kind, item) {
    var box = document.createElement("span");
    box.setAttribute("aria-hidden", "true");
    var src = kind === "accounts" ? smallest(item.avatar) : kind === "posts" ? thumbnail(item) : "";
    if (src) {
      var img = document.createElement("img");
      img.src = src;
      img.alt = "";
      img.className = "topsearch__pic" + (kind === "posts" ? " topsearch__pic--square" : "");
      return img;
    }
    box.className = "topsearch__pic topsearch__pic--badge";
    if (kind === "accounts") {
      box.textContent = ((item.display_name || item.username)[0] || "?").toUpperCase();
    } else if (kind === "hashtags") {
      box.textContent = "#";
    } else if (kind === "places") {
      var svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("class", "icon icon--sm");
      svg.setAttribute("fill", "none");
      svg.setAttribute("stroke", "currentColor");
      svg.setAttribute("stroke-width", "2");
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", PIN);
      var dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", "12");
      dot.setAttribute("cy", "10");
      dot.setAttribute("r", "3");
      svg.appendChild(path);
      svg.appendChild(dot);
      box.appendChild(svg);
    } else {
      box.className += " topsearch__pic--square";
    }
    return box;
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
          anchor.appendChild(visual(pair[0], item));
          var text = document.createElement("span");
          text.className = "topsearch__text";
          var title = document.createElement("span");
          title.className = "topsearch__title";
          title.textContent = parts[1];
          var kind = document.createElement("span");
          kind.className = "topsearch__kind";
          kind.textContent = parts[2] ? pair[1] + " · " + parts[2] : pair[1];
          text.appendChild(title);
          text.appendChild(kind);
          anchor.appendChild(text);
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

  // htmx loads after this file (both deferred): by DOMContentLoaded it is there or not at all.
  document.addEventListener("DOMContentLoaded", function () {
    var page = document.querySelector(".search");
    if (page && window.htmx) page.classList.add("is-live");
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

// @mentions and #hashtags as you type, in any field marked data-autocomplete (the composer's
// caption and people tags, every comment box). Typing "@an" lists accounts, "#su" hashtags
// with their post counts, from the search API (GET /api/glimpse/v1/search?type=...), which applies
// the visibility policy: an account blocked either way is never offered. Arrow keys move,
// Enter or Tab (or a tap) inserts the token and a space, Escape closes. ARIA combobox and
// listbox. Fields added later (htmx swaps a comment box) work too: events are delegated.
(function () {
  "use strict";

  var FIELD = "[data-autocomplete]";
  var LIMIT = 6;
  var DEBOUNCE_MS = 120;
  // What a mention or a hashtag token looks like just before the caret (glimpse/posts/text.py).
  var MENTION = /(^|[^\w@./&+\-])@([A-Za-z0-9._]{1,30})$/;
  var HASHTAG = /(^|[^\p{L}\p{M}\p{N}_#&/@])#([\p{L}\p{M}\p{N}_]{1,100})$/u;

  var list = null; // the one listbox, moved next to whichever field is in use
  var status = null;
  var field = null; // the field it serves
  var token = null; // {kind, symbol, query, start, end}
  var items = [];
  var active = -1;
  var timer = 0;
  var request = null;
  var cache = {};
  var empty = {}; // kinds and prefixes that found nothing: longer ones find nothing either
  var counter = 0;

  function setup() {
    list = document.createElement("ul");
    list.id = "autocomplete-list";
    list.className = "ac";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status = document.createElement("p");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    document.body.appendChild(list);
    document.body.appendChild(status);
    // Keep the focus in the field: the option is chosen on click.
    list.addEventListener("pointerdown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(parseInt(option.dataset.index, 10));
    });
    document.addEventListener("focusin", function (event) {
      if (event.target.matches && event.target.matches(FIELD)) prepare(event.target);
    });
    document.addEventListener("focusout", function (event) {
      if (event.target === field) close();
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches(FIELD)) look(event.target);
    });
    document.addEventListener("click", function (event) {
      if (event.target === field) look(field); // the caret moved
    });
    // Before any other listener (a comment box posts on Enter): the open list takes its keys.
    window.addEventListener("keydown", keydown, true);
    window.addEventListener("resize", position);
    window.addEventListener("scroll", position, true);
    if (window.visualViewport) window.visualViewport.addEventListener("resize", position);
    // Typed into before this script ran: take it from where it is.
    var focused = document.activeElement;
    if (focused && focused.matches && focused.matches(FIELD)) look(focused);
    document.documentElement.dataset.autocompleteReady = "true";
  }

  function prepare(input) {
    if (input.dataset.autocompleteReady) return;
    input.dataset.autocompleteReady = "true";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-haspopup", "listbox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
  }

  // Find the token being typed just before the caret, and ask for it.
  function look(input) {
    prepare(input);
    var caret = input.selectionStart;
    if (caret !== input.selectionEnd) return close();
    var before = input.value.slice(0, caret);
    var match = before.match(MENTION);
    var kind = "accounts";
    var symbol = "@";
    if (!match) {
      match = before.match(HASHTAG);
      kind = "hashtags";
      symbol = "#";
    }
    if (!match) return close();
    var query = match[2];
    field = input;
    token = { kind: kind, symbol: symbol, query: query, start: caret - query.length - 1, end: caret };
    clearTimeout(timer);
    var key = kind + ":" + query.toLowerCase();
    if (cache[key]) return show(cache[key]);
    if (knownEmpty(kind, query)) return show([]);
    timer = setTimeout(function () {
      fetchFor(key, kind, query);
    }, DEBOUNCE_MS);
  }

  function knownEmpty(kind, query) {
    var lower = query.toLowerCase();
    for (var length = lower.length - 1; length > 0; length -= 1) {
      if (empty[kind + ":" + lower.slice(0, length)]) return true;
    }
    return false;
  }

  function fetchFor(key, kind, query) {
    if (request) request.abort();
    request = new AbortController();
    var base = (field && field.dataset.autocompleteApi) || "/api/glimpse/v1/search";
    var url = base + "?type=" + kind + "&limit=" + LIMIT + "&q=" + encodeURIComponent(query);
    var asked = token;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: request.signal })
      .then(function (response) {
        return response.ok ? response.json() : { items: [] };
      })
      .then(function (answer) {
        var found = (answer && answer.items) || [];
        cache[key] = found;
        if (!found.length) empty[key] = true;
        if (token === asked) show(found);
      })
      .catch(function () {});
  }

  function show(found) {
    items = found;
    list.textContent = "";
    if (!found.length || !field) {
      close();
      return;
    }
    found.forEach(function (item, index) {
      list.appendChild(option(item, index));
    });
    list.hidden = false;
    field.setAttribute("aria-expanded", "true");
    highlight(0);
    position();
    status.textContent = found.length + (found.length === 1 ? " suggestion" : " suggestions");
  }

  function option(item, index) {
    var node = document.createElement("li");
    node.className = "ac__option";
    node.id = "ac-option-" + ++counter;
    node.dataset.index = String(index);
    node.setAttribute("role", "option");
    node.setAttribute("aria-selected", "false");
    var text = document.createElement("span");
    text.className = "ac__text";
    var name = document.createElement("span");
    name.className = "ac__name";
    var meta = document.createElement("span");
    meta.className = "ac__meta";
    if (token.kind === "accounts") {
      node.appendChild(picture(item));
      name.textContent = item.username;
      meta.textContent = item.display_name || "";
    } else {
      var mark = document.createElement("span");
      mark.className = "ac__tag";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "#";
      node.appendChild(mark);
      name.textContent = "#" + item.name;
      var count = item.post_count || 0;
      meta.textContent = count.toLocaleString("en-US") + (count === 1 ? " post" : " posts");
    }
    text.appendChild(name);
    if (meta.textContent) text.appendChild(meta);
    node.appendChild(text);
    return node;
  }

  function picture(account) {
    var url = account.avatar && (account.avatar["64"] || account.avatar["150"]);
    if (url) {
      var img = document.createElement("img");
      img.className = "ac__avatar";
      img.src = url;
      img.alt = "";
      img.width = 32;
      img.height = 32;
      return img;
    }
    var initial = document.createElement("span");
    initial.className = "ac__avatar ac__avatar--initial";
    initial.setAttribute("aria-hidden", "true");
    initial.textContent = (account.display_name || account.username || "?").charAt(0).toUpperCase();
    return initial;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    active = index;
    Array.prototype.forEach.call(options, function (node, i) {
      var on = i === index;
      node.setAttribute("aria-selected", String(on));
      if (on) {
        field.setAttribute("aria-activedescendant", node.id);
        if (node.scrollIntoView) node.scrollIntoView({ block: "nearest" });
      }
    });
  }

  // Put the chosen name in place of the token, with a space after it.
  function choose(index) {
    var item = items[index];
    if (!item || !field || !token) return;
    var name = token.kind === "accounts" ? item.username : item.name;
    var value = field.value;
    var after = value.slice(token.end);
    var inserted = token.symbol + name + (/^\s/.test(after) ? "" : " ");
    var caret = token.start + inserted.length + (/^\s/.test(after) ? 1 : 0);
    field.value = value.slice(0, token.start) + inserted + after;
    field.setSelectionRange(caret, caret);
    var input = field;
    var said = (token.kind === "hashtags" ? "#" : "@") + name + " added.";
    close();
    input.dispatchEvent(new Event("input", { bubbles: true })); // counters, growing boxes
    status.textContent = said;
  }

  function close() {
    clearTimeout(timer);
    if (request) request.abort();
    request = null;
    items = [];
    active = -1;
    token = null;
    if (list) {
      list.hidden = true;
      list.textContent = "";
    }
    if (field) {
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }
  }

  function keydown(event) {
    if (!field || event.target !== field || list.hidden || event.isComposing) return;
    var handled = true;
    if (event.key === "ArrowDown") highlight((active + 1) % items.length);
    else if (event.key === "ArrowUp") highlight((active - 1 + items.length) % items.length);
    else if ((event.key === "Enter" || event.key === "Tab") && active >= 0 && !event.shiftKey) choose(active);
    else if (event.key === "Escape") close();
    else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  // Under the field, or above it when the screen (or the keyboard) leaves no room below.
  function position() {
    if (!field || list.hidden) return;
    var rect = field.getBoundingClientRect();
    var viewport = window.visualViewport;
    var bottom = viewport ? viewport.height + viewport.offsetTop : window.innerHeight;
    var width = Math.min(Math.max(rect.width, 260), window.innerWidth - 16);
    var left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    list.style.width = width + "px";
    list.style.left = left + "px";
    var height = list.offsetHeight;
    var below = bottom - rect.bottom;
    var top = below < height + 8 && rect.top > below ? rect.top - height - 4 : rect.bottom + 4;
    list.style.top = Math.max(4, top) + "px";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

// "Send to…": share a post, Reel, story or profile in direct messages. A link marked
// data-send-to (to the plain page /direct/send/?post=…) opens the same form as a sheet over
// the page instead: recent conversations, a search for accounts, an optional message. It
// sends through the JSON API: POST conversations (a new one-to-one) then POST
// conversations/{id}/messages with shared_post_id, shared_story_id or shared_username.
// The helpers every messages script shares are window.GlimpseDirect (messages_pages.js and
// messages.js add theirs).
(function () {
  "use strict";

  var API = "/api/glimpse/v1/";
  var CHECK = '<svg class="icon icon--xs" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="M20 6 9 17l-5-5"/></svg>';

  function csrfToken() {
    var holder = document.querySelector("[data-csrf]");
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return (holder && holder.dataset.csrf) || (field && field.value) || "";
  }

  // A call to the JSON API with the session and its CSRF token; answers the JSON (null for
  // 204) and fails with the API's own message.
  function api(method, path, body) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(
        function (data) {
          if (response.ok) return data;
          var error = (data && data.error) || {};
          var fields = error.fields || {};
          var details = Object.keys(fields).map(function (key) { return fields[key].join(" "); });
          throw failure(details.join(" ") || error.message, response.status);
        },
        function () {
          throw failure("", response.status);
        }
      );
    });
  }

  function failure(message, status) {
    var error = new Error(message || "Something went wrong (" + status + "). Try again.");
    error.status = status;
    return error;
  }

  // A piece of page drawn by the server, as a fragment of elements.
  function fetchHtml(url) {
    var init = { credentials: "same-origin", headers: { Accept: "text/html" } };
    return fetch(url, init).then(function (response) {
      if (!response.ok) throw failure("", response.status);
      return response.text().then(function (text) {
        var holder = document.createElement("template");
        holder.innerHTML = text.trim();
        return holder.content;
      });
    });
  }

  function debounce(callback, wait) {
    var timer = 0;
    return function () {
      var args = arguments;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { callback.apply(null, args); }, wait);
    };
  }

  // Accounts matching a query (the visibility policy applies), the viewer (``me``) left out.
  function searchAccounts(query, me) {
    var path = "search?type=accounts&limit=12&q=" + encodeURIComponent(query);
    return api("GET", path).then(function (page) {
      return page.items.filter(function (account) { return account.username !== me; });
    });
  }

  function faceOf(account) {
    var face = document.createElement("span");
    face.className = "dm-face dm-face--md";
    face.setAttribute("aria-hidden", "true");
    var url = account.avatar && (account.avatar["150"] || account.avatar["320"]);
    var inner;
    if (url) {
      inner = document.createElement("img");
      inner.src = url;
      inner.alt = "";
    } else {
      inner = document.createElement("span");
      inner.className = "dm-face__initial";
      inner.textContent = (account.display_name || account.username || "?").charAt(0).toUpperCase();
    }
    inner.classList.add("dm-face__img");
    face.appendChild(inner);
    return face;
  }

  // One account as a row to pick (messages/partials/person_option.html, drawn here).
  function personOption(account, name, checked) {
    var item = document.createElement("li");
    item.className = "pick";
    item.dataset.found = "true";
    var label = document.createElement("label");
    label.className = "pick__label";
    var names = document.createElement("span");
    names.className = "pick__names";
    var title = document.createElement("span");
    title.className = "pick__title";
    title.textContent = account.username;
    names.appendChild(title);
    if (account.display_name) {
      var sub = document.createElement("span");
      sub.className = "pick__sub muted";
      sub.textContent = account.display_name;
      names.appendChild(sub);
    }
    var box = document.createElement("input");
    box.className = "pick__box";
    box.type = "checkbox";
    if (name) box.name = name;
    box.value = account.username;
    box.checked = !!checked;
    var check = document.createElement("span");
    check.className = "pick__check";
    check.setAttribute("aria-hidden", "true");
    check.innerHTML = CHECK;
    label.append(faceOf(account), names, box, check);
    item.appendChild(label);
    return item;
  }

  var shared = (window.GlimpseDirect = window.GlimpseDirect || {});
  shared.api = api;
  shared.fetchHtml = fetchHtml;
  shared.debounce = debounce;
  shared.searchAccounts = searchAccounts;
  shared.personOption = personOption;

  // --- The sheet ----------------------------------------------------------------------------

  var dialog = null;
  var opener = null;

  function announce(open) {
    // The story viewer pauses while the sheet is open.
    document.dispatchEvent(new CustomEvent("glimpse:sheet", { detail: { open: open } }));
  }

  function ensureDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "sheet-dialog";
    dialog.setAttribute("aria-labelledby", "send-sheet-title");
    document.body.appendChild(dialog);
    // Keys typed in the sheet are its own: the story viewer behind listens on document.
    dialog.addEventListener("keydown", function (event) { event.stopPropagation(); });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close(); // the backdrop
      if (event.target.closest && event.target.closest("[data-sheet-close]")) dialog.close();
    });
    dialog.addEventListener("close", function () {
      dialog.replaceChildren();
      announce(false);
      if (opener && opener.isConnected) opener.focus();
    });
    return dialog;
  }

  function open(url, trigger) {
    var box = ensureDialog();
    if (typeof box.showModal !== "function") {
      window.location.href = url;
      return;
    }
    opener = trigger;
    var here = window.location.pathname + window.location.search;
    var sheetUrl = url + (url.indexOf("?") < 0 ? "?" : "&") + "sheet=1&next=" + encodeURIComponent(here);
    fetchHtml(sheetUrl).then(function (fragment) {
      box.replaceChildren(fragment);
      if (!box.open) box.showModal();
      announce(true);
      setupSheet(box.querySelector("[data-send-sheet]"));
    }).catch(function () {
      window.location.href = url; // the plain page says what went wrong
    });
  }

  function setupSheet(form) {
    if (!form) return;
    var search = form.querySelector("[data-sheet-search]");
    var list = form.querySelector("[data-sheet-list]");
    var status = form.querySelector("[data-sheet-status]");
    var empty = form.querySelector("[data-sheet-empty]");
    var me = form.dataset.me || "";
    if (search) search.focus();

    var look = debounce(function () {
      var query = search.value.trim();
      list.querySelectorAll("[data-found]").forEach(function (row) {
        if (!row.querySelector(".pick__box").checked) row.remove();
      });
      list.querySelectorAll("[data-recent]").forEach(function (row) {
        var title = row.querySelector(".pick__label").textContent.toLowerCase();
        row.hidden = !!query && title.indexOf(query.toLowerCase()) < 0 &&
          !row.querySelector(".pick__box").checked;
      });
      if (!query) return;
      searchAccounts(query, me).then(function (accounts) {
        if (search.value.trim() !== query) return;
        // An account already listed (found before, or a recent one-to-one) is not repeated.
        var taken = {};
        list.querySelectorAll("[data-found] .pick__box").forEach(function (box) {
          taken[box.value] = true;
        });
        list.querySelectorAll("[data-recent][data-username]").forEach(function (row) {
          var name = row.dataset.username;
          if (accounts.some(function (account) { return account.username === name; })) {
            row.hidden = false;
            taken[name] = true;
          }
        });
        var rows = accounts.filter(function (account) { return !taken[account.username]; })
          .map(function (account) { return personOption(account, "usernames", false); });
        list.prepend.apply(list, rows);
        if (empty) empty.hidden = list.children.length > 0;
      }).catch(function (error) {
        say(error.message, true);
      });
    }, 200);
    if (search) search.addEventListener("input", look);

    function say(text, bad) {
      status.textContent = text;
      status.classList.toggle("is-error", !!bad);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var targets = data.getAll("to").map(function (id) { return { id: id }; })
        .concat(data.getAll("usernames").map(function (name) { return { username: name }; }));
      if (!targets.length) {
        say("Choose who to send it to.", true);
        return;
      }
      var body = { text: (data.get("text") || "").trim() };
      if (data.get("post")) body.shared_post_id = data.get("post");
      else if (data.get("story")) body.shared_story_id = data.get("story");
      else if (data.get("profile")) body.shared_username = data.get("profile");
      var button = form.querySelector("[data-sheet-send]");
      button.disabled = true;
      say("Sending…");
      var failures = [];
      var chain = Promise.resolve();
      targets.forEach(function (target) {
        chain = chain.then(function () {
          var started = target.id
            ? Promise.resolve(target.id)
            : api("POST", "conversations", { usernames: [target.username] }).then(function (c) {
              return c.id;
            });
          return started.then(function (id) {
            return api("POST", "conversations/" + id + "/messages", body);
          }).catch(function (error) {
            failures.push((target.username ? "@" + target.username : "a conversation") + ": " + error.message);
          });
        });
      });
      chain.then(function () {
        button.disabled = false;
        if (!failures.length) {
          say("Sent.");
          window.setTimeout(function () { if (dialog.open) dialog.close(); }, 700);
          return;
        }
        var sent = targets.length - failures.length;
        say((sent ? "Sent to " + sent + ". " : "") + "Not sent to " + failures.join("; "), true);
      });
    });
  }

  // The id of the story on screen in the story viewer, for its "Send" button.
  function storyUrl(trigger) {
    var viewer = trigger.closest("[data-story-viewer]");
    var slide = viewer && viewer.querySelector("[data-story]:not([hidden])");
    return slide ? trigger.dataset.sendTo + "?story=" + slide.dataset.story : null;
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-send-to]");
    if (trigger) {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var url = trigger.hasAttribute("data-send-story") ? storyUrl(trigger) : trigger.getAttribute("href");
      if (!url) return;
      event.preventDefault();
      var menu = trigger.closest("details[open]");
      if (menu) menu.open = false;
      open(url, trigger);
      return;
    }
    var native = event.target.closest && event.target.closest("[data-native-share]");
    if (native && navigator.share) {
      navigator.share({ url: native.dataset.nativeShare }).catch(function () {
        // Dismissed, or refused: nothing to do.
      });
    }
  });

  function ready() {
    if (navigator.share) {
      document.querySelectorAll("[data-native-share]").forEach(function (button) {
        button.hidden = false;
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  // A post's action bar drawn again (htmx, after a like) brings its share menu back.
  document.addEventListener("htmx:afterSettle", ready);
})();

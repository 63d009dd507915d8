// The pages of direct messages around a conversation: the list of conversations (the next
// page as it scrolls, redrawn live when a message arrives), the confirmation asked before a
// form marked data-confirm is sent, the "new message" page's search, and a group's photo.
// It uses the helpers of send_to.js (window.GlimpseDirect) and adds its own for messages.js.
// Every page works without it.
(function () {
  "use strict";

  var shared = window.GlimpseDirect;
  var api = shared.api;
  var fetchHtml = shared.fetchHtml;
  var debounce = shared.debounce;
  var LIST_EVENTS = {
    "message.new": true,
    "message.unsent": true,
    "conversation.updated": true,
    "messages.unread": true,
  };

  // Upload a photo or video through the API, then wait until it is processed.
  function upload(file, onState) {
    var form = new FormData();
    form.append("file", file);
    onState("Uploading…");
    return api("POST", "media", form).then(function (item) {
      onState("Processing…");
      return waitReady(item.id, 0);
    });
  }

  function waitReady(id, tries) {
    return api("GET", "media/" + id).then(function (item) {
      if (item.status === "ready") return item;
      if (item.status === "failed") throw new Error("This file could not be processed.");
      if (tries > 180) throw new Error("Processing takes too long. Try again.");
      return new Promise(function (resolve) {
        window.setTimeout(resolve, Math.min(2000, 400 + tries * 100));
      }).then(function () {
        return waitReady(id, tries + 1);
      });
    });
  }

  // --- Confirmation -----------------------------------------------------------------------

  function confirmAction(options) {
    var dialog = document.querySelector("[data-confirm-dialog]");
    if (!dialog || typeof dialog.showModal !== "function") {
      return Promise.resolve(window.confirm(options.title));
    }
    dialog.querySelector("[data-confirm-title]").textContent = options.title;
    dialog.querySelector("[data-confirm-text]").textContent = options.text || "";
    var yes = dialog.querySelector("[data-confirm-yes]");
    var no = dialog.querySelector("[data-confirm-no]");
    yes.textContent = options.yes || "Yes";
    var back = document.activeElement;
    return new Promise(function (resolve) {
      function done(answer) {
        yes.removeEventListener("click", onYes);
        no.removeEventListener("click", onNo);
        dialog.removeEventListener("close", onClose);
        if (dialog.open) dialog.close();
        if (back && back.focus && !answer) back.focus();
        resolve(answer);
      }
      function onYes() { done(true); }
      function onNo() { done(false); }
      function onClose() { done(false); }
      yes.addEventListener("click", onYes);
      no.addEventListener("click", onNo);
      dialog.addEventListener("close", onClose);
      dialog.showModal();
      no.focus();
    });
  }

  function setupConfirms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-confirm]") || form.dataset.confirmed) return;
      event.preventDefault();
      confirmAction({
        title: form.dataset.confirm,
        text: form.dataset.confirmText,
        yes: form.dataset.confirmYes,
      }).then(function (yes) {
        if (!yes) return;
        form.dataset.confirmed = "true";
        form.submit();
      });
    });
  }

  // --- The list of conversations ----------------------------------------------------------

  function ThreadList(wrap) {
    this.wrap = wrap;
    this.url = wrap.dataset.listUrl;
    var thread = document.querySelector("[data-thread]");
    this.current = thread ? thread.dataset.thread : "";
    this.refresh = debounce(this.reload.bind(this), 300);
    this.watchMore();
  }

  ThreadList.prototype.watchMore = function () {
    var self = this;
    var more = this.wrap.querySelector("[data-more]");
    if (!more) return;
    more.addEventListener("click", function (event) {
      event.preventDefault();
      self.loadMore(more);
    });
    if ("IntersectionObserver" in window) {
      var watcher = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          watcher.disconnect();
          self.loadMore(more);
        }
      }, { rootMargin: "200px" });
      watcher.observe(more);
    }
  };

  ThreadList.prototype.loadMore = function (more) {
    var self = this;
    if (more.dataset.loading) return;
    more.dataset.loading = "true";
    fetchHtml(more.href + "&part=list").then(function (fragment) {
      var list = self.wrap.querySelector(".dm-list");
      fragment.querySelectorAll(".dm-row").forEach(function (row) {
        if (!list.querySelector('[data-thread-row="' + row.dataset.threadRow + '"]')) {
          list.appendChild(row);
        }
      });
      var next = fragment.querySelector(".dm-more");
      more.closest(".dm-more").replaceWith(next || document.createTextNode(""));
      self.watchMore();
    }).catch(function () {
      delete more.dataset.loading;
    });
  };

  // Draw the first page again (a message arrived, something was read or renamed).
  ThreadList.prototype.reload = function () {
    var self = this;
    // Beside a conversation on a phone the list is not shown: spare the request.
    if (!this.wrap.getClientRects().length) return;
    fetchHtml(this.url + "?part=list").then(function (fragment) {
      var fresh = fragment.querySelector("[data-thread-list]");
      if (!fresh) return;
      self.wrap.replaceChildren.apply(self.wrap, Array.prototype.slice.call(fresh.childNodes));
      if (self.current) {
        var row = self.wrap.querySelector('[data-thread-row="' + self.current + '"]');
        if (row) {
          row.classList.add("is-current");
          row.querySelector("a").setAttribute("aria-current", "page");
        }
      }
      self.watchMore();
    }).catch(function () {
      // The list stays as it was; the next event tries again.
    });
  };

  function setupList() {
    var wrap = document.querySelector("[data-thread-list]");
    if (!wrap) return;
    var list = new ThreadList(wrap);
    document.addEventListener("glimpse:event", function (event) {
      var kind = (event.detail || {}).kind;
      if (LIST_EVENTS[kind] || kind === "refetch") list.refresh();
    });
  }

  // --- New message: search people, pick one or several ------------------------------------

  function setupNew() {
    var root = document.querySelector("[data-dm-new]");
    if (!root) return;
    var input = root.querySelector("[data-people-search]");
    var form = root.querySelector("[data-people-form]");
    var results = root.querySelector("[data-people-results]");
    var chosen = root.querySelector("[data-people-chosen]");
    var status = root.querySelector("[data-people-status]");
    var group = root.querySelector("[data-group-name]");
    var searchForm = input.form;
    var picked = {};

    chosen.querySelectorAll("input[name=usernames]").forEach(function (field) {
      picked[field.value] = true;
    });
    chosen.replaceChildren();
    results.querySelectorAll(".pick__box").forEach(function (box) {
      if (box.checked) picked[box.value] = true;
      box.removeAttribute("name");
    });

    function draw() {
      chosen.replaceChildren();
      Object.keys(picked).forEach(function (name) {
        var chip = document.createElement("li");
        chip.className = "dm-chip";
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "usernames";
        field.value = name;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.setAttribute("aria-label", "Remove @" + name);
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          delete picked[name];
          var box = results.querySelector('.pick__box[value="' + CSS.escape(name) + '"]');
          if (box) box.checked = false;
          draw();
          input.focus();
        });
        chip.append(field, document.createTextNode("@" + name), remove);
        chosen.appendChild(chip);
      });
      var count = Object.keys(picked).length;
      group.hidden = count < 2;
    }

    results.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches(".pick__box")) return;
      if (box.checked) picked[box.value] = true;
      else delete picked[box.value];
      draw();
    });

    var look = debounce(function () {
      var query = input.value.trim();
      if (!query) {
        results.replaceChildren();
        status.textContent = "";
        return;
      }
      shared.searchAccounts(query, root.dataset.me).then(function (accounts) {
        if (input.value.trim() !== query) return;
        results.replaceChildren.apply(
          results,
          accounts.map(function (account) { return shared.personOption(account, "", picked[account.username]); })
        );
        status.textContent = accounts.length
          ? accounts.length + " found"
          : "No account found for “" + query + "”.";
      }).catch(function (error) {
        status.textContent = error.message;
      });
    }, 200);

    input.addEventListener("input", look);
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      look();
    });
    form.addEventListener("submit", function (event) {
      if (!Object.keys(picked).length) {
        event.preventDefault();
        status.textContent = "Choose at least one person.";
      }
    });
    draw();
  }

  // --- A group's photo: uploaded through the API, then set on the group -------------------

  function setupGroupPhoto() {
    var box = document.querySelector("[data-group-photo]");
    var root = document.querySelector("[data-dm-details]");
    if (!box || !root) return;
    box.hidden = false;
    var input = box.querySelector("[data-group-photo-file]");
    var status = box.querySelector("[data-group-photo-status]");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      input.disabled = true;
      upload(file, function (state) { status.textContent = state; })
        .then(function (item) {
          return api("PATCH", "conversations/" + root.dataset.conversation, {
            photo_media_id: item.id,
          });
        })
        .then(function () {
          status.textContent = "Saved.";
          window.location.reload();
        })
        .catch(function (error) {
          status.textContent = error.message;
          input.disabled = false;
          input.value = "";
        });
    });
  }

  shared.upload = upload;
  shared.confirm = confirmAction;

  function ready(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }

  ready(function () {
    setupConfirms();
    setupList();
    setupNew();
    setupGroupPhoto();
  });
})();

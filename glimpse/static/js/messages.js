// An open conversation, live. The server draws every message (the page, older pages as one
// scrolls up, and one message again at /direct/t/<id>/m/<message>/); this script writes
// through the JSON API and listens to the account's websocket events (live.js): new,
// edited and unsent messages, reactions, read marks and typing. It marks the conversation
// read while it is on screen, says "typing" at most every 3 seconds, sends text, photos and
// videos, replies and edits, and opens a message's options (its ⋯ button, a right click or a
// long press): react, reply, copy, edit, unsend, report.
(function () {
  "use strict";

  var TYPING_EVERY = 3000;
  var TYPING_SHOWN = 6000;
  var RUN_GAP = 600; // seconds: messages closer than this join one run of bubbles
  var LONG_PRESS = 500;
  var NEAR_BOTTOM = 120;

  var direct = window.GlimpseDirect;

  // Ids are decimal strings of 64-bit numbers: compare them as such, never as floats.
  function compareIds(a, b) {
    a = String(a);
    b = String(b);
    if (a.length !== b.length) return a.length - b.length;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function Thread(root) {
    this.root = root;
    this.id = root.dataset.thread;
    this.kind = root.dataset.kind;
    this.accepted = root.dataset.accepted === "true";
    this.viewer = root.dataset.viewer;
    this.readUpto = root.dataset.readUpto || "0";
    this.marks = JSON.parse(root.dataset.marks || "{}");
    this.names = JSON.parse(root.dataset.names || "{}");
    this.scroller = root.querySelector("[data-thread-scroll]");
    this.list = root.querySelector("[data-messages]");
    this.seen = root.querySelector("[data-seen]");
    this.typing = root.querySelector("[data-typing]");
    this.typists = {};
    this.form = root.querySelector("[data-composer]");
    this.menu = document.querySelector("[data-msg-menu]");
    this.files = [];
    this.lastTyping = 0;
    this.editing = null;
    this.setup();
  }

  Thread.prototype.setup = function () {
    var self = this;
    this.scrollToEnd();
    if (window.location.hash.indexOf("#m-") === 0) this.highlight(window.location.hash.slice(1));
    this.regroup();
    this.watchOlder();
    this.read();
    // Pictures loading above, a reaction or the typing line growing the list keep the end
    // in view for a reader who is there.
    this.pinned = !window.location.hash;
    this.scroller.addEventListener("scroll", function () { self.pinned = self.nearBottom(); });
    if ("ResizeObserver" in window) {
      new ResizeObserver(function () { if (self.pinned) self.scrollToEnd(); }).observe(this.list);
    }
    this.scroller.addEventListener("scroll", direct.debounce(function () { self.read(); }, 150));
    document.addEventListener("visibilitychange", function () { self.read(); });
    window.addEventListener("focus", function () { self.read(); });
    document.addEventListener("glimpse:event", function (event) { self.on(event.detail || {}); });
    if (this.form) this.setupComposer();
    if (this.menu && this.accepted) this.setupMenu();
    this.list.addEventListener("click", function (event) {
      var pill = event.target.closest("[data-reaction]");
      if (pill && self.accepted) self.react(pill.closest(".msg"), pill.dataset.reaction);
    });
  };

  // --- Drawing ----------------------------------------------------------------------------

  Thread.prototype.nearBottom = function () {
    var s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM;
  };

  Thread.prototype.scrollToEnd = function () {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  };

  Thread.prototype.highlight = function (elementId) {
    var found = document.getElementById(elementId);
    if (!found) return;
    found.scrollIntoView({ block: "center" });
    found.classList.add("is-highlighted");
    window.setTimeout(function () { found.classList.remove("is-highlighted"); }, 2000);
  };

  // Join runs of bubbles by one sender and show each day's heading once, as the server
  // does for a whole page, after messages came, changed or went.
  Thread.prototype.regroup = function () {
    var items = all(this.list, ".msg");
    items.forEach(function (item, index) {
      var before = items[index - 1];
      var after = items[index + 1];
      item.classList.toggle("msg--first", !sameRun(before, item));
      item.classList.toggle("msg--last", !sameRun(item, after));
      var day = item.querySelector(".msg__day");
      if (day) day.hidden = !!before && before.dataset.day === item.dataset.day;
    });
    this.showSeen();
  };

  function sameRun(first, second) {
    if (!first || !second) return false;
    return first.dataset.sender === second.dataset.sender &&
      first.dataset.day === second.dataset.day &&
      Math.abs(Number(second.dataset.at) - Number(first.dataset.at)) < RUN_GAP;
  }

  // "Seen" (or "Seen by …" in a group) under the viewer's message when it is the last one
  // and the others' read marks reach it (they come only where read receipts allow).
  Thread.prototype.showSeen = function () {
    var items = all(this.list, ".msg:not(.is-pending)");
    var last = items[items.length - 1];
    var text = "";
    if (last && last.dataset.own === "true") {
      var self = this;
      var readers = Object.keys(this.marks).filter(function (id) {
        return id !== self.viewer && compareIds(self.marks[id], last.dataset.message) >= 0;
      });
      var everyone = Object.keys(this.names);
      if (readers.length && this.kind !== "group") {
        text = "Seen";
      } else if (readers.length && readers.length === everyone.length && everyone.length > 1) {
        text = "Seen by everyone";
      } else if (readers.length) {
        var names = readers.map(function (id) { return self.names[id] || "someone"; });
        text = "Seen by " + names.slice(0, 3).join(", ") +
          (names.length > 3 ? " and " + (names.length - 3) + " more" : "");
      }
    }
    this.seen.textContent = text;
    this.seen.hidden = !text;
  };

  // Draw one message (again) from the server, in its place by id.
  Thread.prototype.load = function (messageId, options) {
    var self = this;
    var url = this.root.dataset.messageUrl.replace("/m/0/", "/m/" + messageId + "/");
    return direct.fetchHtml(url).then(function (fragment) {
      var fresh = fragment.querySelector(".msg");
      if (!fresh) return;
      self.place(fresh, options && options.replacing);
    }).catch(function (error) {
      if (error.status === 404) self.drop(messageId); // unsent, or no longer for the viewer
    });
  };

  Thread.prototype.place = function (fresh, replacing) {
    var follow = this.nearBottom();
    var old = document.getElementById(fresh.id);
    if (old) {
      old.replaceWith(fresh);
    } else {
      if (replacing) replacing.remove();
      var after = all(this.list, ".msg:not(.is-pending)").filter(function (item) {
        return compareIds(item.dataset.message, fresh.dataset.message) > 0;
      })[0];
      this.list.insertBefore(fresh, after || this.list.querySelector(".is-pending"));
    }
    if (replacing && replacing.isConnected) replacing.remove();
    this.regroup();
    if (follow || fresh.dataset.own === "true") this.scrollToEnd();
    this.read();
  };

  Thread.prototype.drop = function (messageId) {
    var item = document.getElementById("m-" + messageId);
    if (!item) return;
    if (this.menuFor === item) this.closeMenu();
    item.remove();
    this.regroup();
  };

  // --- Older messages ---------------------------------------------------------------------

  Thread.prototype.watchOlder = function () {
    var self = this;
    var link = this.root.querySelector("[data-older]");
    if (!link) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      self.older(link);
    });
    if ("IntersectionObserver" in window) {
      this.olderWatch = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) self.older(link);
      }, { root: this.scroller, rootMargin: "200px 0px 0px 0px" });
      this.olderWatch.observe(link);
    }
  };

  Thread.prototype.older = function (link) {
    var self = this;
    if (link.dataset.loading) return;
    link.dataset.loading = "true";
    direct.fetchHtml(link.dataset.older).then(function (fragment) {
      var page = fragment.querySelector("[data-older-page]");
      var height = self.scroller.scrollHeight;
      var top = self.scroller.scrollTop;
      var first = self.list.firstElementChild;
      all(page, ".msg").forEach(function (item) {
        if (!document.getElementById(item.id)) self.list.insertBefore(item, first);
      });
      self.regroup();
      self.scroller.scrollTop = top + (self.scroller.scrollHeight - height);
      delete link.dataset.loading;
      if (page.dataset.next) {
        link.dataset.older = page.dataset.next;
      } else {
        if (self.olderWatch) self.olderWatch.disconnect();
        link.closest(".thread__older").remove();
        var intro = self.root.querySelector("[data-thread-intro]");
        if (intro) intro.hidden = false;
      }
    }).catch(function () {
      delete link.dataset.loading;
    });
  };

  // --- Read marks -------------------------------------------------------------------------

  Thread.prototype.newest = function () {
    var items = all(this.list, ".msg:not(.is-pending)");
    return items.length ? items[items.length - 1].dataset.message : null;
  };

  Thread.prototype.read = function () {
    var newest = this.newest();
    if (!newest || document.visibilityState !== "visible" || !this.nearBottom()) return;
    if (compareIds(newest, this.readUpto) <= 0 || this.reading) return;
    var self = this;
    this.reading = true;
    direct.api("POST", "conversations/" + this.id + "/read", { message_id: newest })
      .then(function (answer) {
        if (compareIds(answer.last_read_id, self.readUpto) > 0) self.readUpto = answer.last_read_id;
      })
      .catch(function () {
        // Unsent meanwhile: the next message is read instead.
      })
      .then(function () {
        self.reading = false;
        if (compareIds(self.newest() || "0", self.readUpto) > 0) self.read();
      });
  };

  // --- Live events ------------------------------------------------------------------------

  Thread.prototype.on = function (event) {
    var data = event.data || {};
    var message = data.message || {};
    var mine = (message.conversation_id || data.conversation_id) === this.id;
    if (event.kind === "refetch") {
      this.resync();
      return;
    }
    if (!mine) return;
    if (event.kind === "message.new") {
      this.stopTyping(message.sender && message.sender.id);
      if (!document.getElementById("m-" + message.id)) this.load(message.id);
    } else if (event.kind === "message.edited" || event.kind === "message.reactions") {
      if (document.getElementById("m-" + message.id)) this.load(message.id);
    } else if (event.kind === "message.unsent") {
      this.drop(data.message_id);
    } else if (event.kind === "conversation.read") {
      var before = this.marks[data.account_id] || "0";
      if (compareIds(data.message_id, before) > 0) this.marks[data.account_id] = data.message_id;
      this.showSeen();
    } else if (event.kind === "conversation.typing") {
      this.showTyping(data.account || {});
    } else if (event.kind === "conversation.updated") {
      this.resync();
    }
  };

  // Missed events, or the conversation changed: draw its head and latest messages again
  // (a member removed from it finds the inbox).
  Thread.prototype.resync = function () {
    var self = this;
    direct.fetchHtml(this.root.dataset.here).then(function (fragment) {
      var fresh = fragment.querySelector("[data-thread]");
      if (!fresh) return;
      var head = fresh.querySelector("[data-thread-head]");
      self.root.querySelector("[data-thread-head]").replaceWith(head);
      self.names = JSON.parse(fresh.dataset.names || "{}");
      self.marks = JSON.parse(fresh.dataset.marks || "{}");
      all(fresh, "[data-messages] .msg").forEach(function (item) { self.place(item); });
      document.title = fragment.querySelector("title") ? fragment.querySelector("title").textContent : document.title;
    }).catch(function (error) {
      if (error.status === 404) window.location.href = "/direct/inbox/";
    });
  };

  Thread.prototype.showTyping = function (account) {
    if (!account.id || account.id === this.viewer) return;
    var self = this;
    window.clearTimeout(this.typists[account.id] && this.typists[account.id].timer);
    this.typists[account.id] = {
      name: account.display_name || account.username,
      timer: window.setTimeout(function () { self.stopTyping(account.id); }, TYPING_SHOWN),
    };
    this.drawTyping();
  };

  Thread.prototype.stopTyping = function (accountId) {
    if (!accountId || !this.typists[accountId]) return;
    window.clearTimeout(this.typists[accountId].timer);
    delete this.typists[accountId];
    this.drawTyping();
  };

  Thread.prototype.drawTyping = function () {
    var self = this;
    var names = Object.keys(this.typists).map(function (id) { return self.typists[id].name; });
    var follow = this.nearBottom();
    this.typing.hidden = !names.length;
    this.typing.textContent = !names.length ? "" : names.length === 1
      ? names[0] + " is typing"
      : names.join(" and ") + " are typing";
    if (follow) this.scrollToEnd();
  };

  // --- The composer -----------------------------------------------------------------------

  Thread.prototype.setupComposer = function () {
    var self = this;
    var form = this.form;
    this.text = form.querySelector("[data-composer-text]");
    this.send = form.querySelector("[data-composer-send]");
    this.status = form.querySelector("[data-composer-status]");
    this.context = form.querySelector("[data-composer-context]");
    this.fileList = form.querySelector("[data-composer-files]");
    var picker = form.querySelector("[data-composer-file]");
    this.text.addEventListener("input", function () {
      self.grow();
      self.ready();
      if (self.text.value.trim() && Date.now() - self.lastTyping > TYPING_EVERY) {
        self.lastTyping = Date.now();
        direct.api("POST", "conversations/" + self.id + "/typing").catch(function () {});
      }
    });
    this.text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (!self.send.disabled) form.requestSubmit();
      } else if (event.key === "Escape" && (self.editing || self.replyTo)) {
        self.clearContext();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    form.querySelector("[data-context-cancel]").addEventListener("click", function () {
      self.clearContext();
      self.text.focus();
    });
    if (picker) {
      picker.addEventListener("change", function () {
        Array.prototype.slice.call(picker.files || []).forEach(function (file) { self.attach(file); });
        picker.value = "";
      });
    }
    this.ready();
  };

  Thread.prototype.grow = function () {
    this.text.style.height = "auto";
    this.text.style.height = Math.min(this.text.scrollHeight, 140) + "px";
  };

  Thread.prototype.ready = function () {
    var waiting = this.files.some(function (file) { return !file.id && !file.failed; });
    var hasFiles = this.files.some(function (file) { return file.id; });
    this.send.disabled = waiting || !(this.text.value.trim() || (hasFiles && !this.editing));
  };

  Thread.prototype.say = function (text) {
    this.status.textContent = text || "";
  };

  Thread.prototype.attach = function (file) {
    var self = this;
    var max = Number(this.form.dataset.mediaMax || 0);
    if (this.files.length >= max) {
      this.say("At most " + max + " photos and videos in one message.");
      return;
    }
    var entry = { file: file, id: null, failed: false };
    this.files.push(entry);
    var item = document.createElement("li");
    item.className = "composer__file";
    var preview = document.createElement(file.type.indexOf("video/") === 0 ? "video" : "img");
    preview.src = URL.createObjectURL(file);
    if (preview.tagName === "IMG") preview.alt = file.name;
    else preview.setAttribute("aria-label", file.name);
    var state = document.createElement("span");
    state.className = "composer__file-state";
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "composer__file-remove";
    remove.setAttribute("aria-label", "Remove " + file.name);
    remove.textContent = "×";
    remove.addEventListener("click", function () {
      self.files = self.files.filter(function (other) { return other !== entry; });
      item.remove();
      self.fileList.hidden = !self.files.length;
      self.ready();
    });
    item.append(preview, state, remove);
    entry.item = item;
    this.fileList.appendChild(item);
    this.fileList.hidden = false;
    this.ready();
    direct.upload(file, function (text) { state.textContent = text; })
      .then(function (media) {
        entry.id = media.id;
        state.textContent = "Ready";
        state.hidden = true;
      })
      .catch(function (error) {
        entry.failed = true;
        item.classList.add("is-failed");
        state.textContent = "Failed";
        self.say(file.name + ": " + error.message);
      })
      .then(function () { self.ready(); });
  };

  Thread.prototype.submit = function () {
    var self = this;
    var text = this.text.value.trim();
    if (this.send.disabled) return;
    this.say("");
    if (this.editing) {
      var editing = this.editing;
      this.send.disabled = true;
      direct.api("PATCH", "messages/" + editing.dataset.message, { text: text })
        .then(function () {
          self.clearContext();
          self.text.value = "";
          self.grow();
          return self.load(editing.dataset.message);
        })
        .catch(function (error) { self.say(error.message); })
        .then(function () { self.ready(); });
      return;
    }
    var media = this.files.filter(function (file) { return file.id; });
    var body = { text: text, media_ids: media.map(function (file) { return file.id; }) };
    if (this.replyTo) body.reply_to_id = this.replyTo.dataset.message;
    var pending = this.pending(text, media.length);
    this.text.value = "";
    this.grow();
    this.files = [];
    this.fileList.replaceChildren();
    this.fileList.hidden = true;
    this.clearContext();
    this.ready();
    direct.api("POST", "conversations/" + this.id + "/messages", body)
      .then(function (message) {
        return self.load(message.id, { replacing: pending });
      })
      .catch(function (error) {
        pending.remove();
        self.regroup();
        if (!self.text.value) self.text.value = text;
        self.grow();
        self.ready();
        self.say(error.message + " Nothing was sent.");
      });
  };

  // A bubble for a message on its way (drawn for real once the server has it).
  Thread.prototype.pending = function (text, mediaCount) {
    var item = document.createElement("li");
    item.className = "msg msg--own msg--first msg--last is-pending";
    item.dataset.own = "true";
    item.dataset.sender = this.viewer;
    var line = document.createElement("div");
    line.className = "msg__line";
    var col = document.createElement("div");
    col.className = "msg__col";
    var bubble = document.createElement("div");
    bubble.className = "msg__bubble";
    bubble.textContent = text || (mediaCount > 1 ? mediaCount + " photos and videos" : "A photo or video");
    var note = document.createElement("p");
    note.className = "msg__meta";
    note.textContent = "Sending…";
    col.append(bubble, note);
    line.appendChild(col);
    item.appendChild(line);
    this.list.appendChild(item);
    this.seen.hidden = true;
    this.scrollToEnd();
    return item;
  };

  Thread.prototype.setContext = function (title, body) {
    this.context.querySelector("[data-context-title]").textContent = title;
    this.context.querySelector("[data-context-body]").textContent = body;
    this.context.hidden = false;
  };

  Thread.prototype.clearContext = function () {
    if (this.editing) this.text.value = "";
    this.editing = null;
    this.replyTo = null;
    this.form.querySelector("[data-composer-reply]").value = "";
    this.context.hidden = true;
    this.grow();
    this.ready();
  };

  // --- A message's options ----------------------------------------------------------------

  Thread.prototype.setupMenu = function () {
    var self = this;
    var menu = this.menu;
    var pressTimer = 0;
    var pressedAt = null;
    this.list.addEventListener("click", function (event) {
      var more = event.target.closest("[data-msg-more]");
      if (more) self.openMenu(more.closest(".msg"), more.getBoundingClientRect(), more);
    });
    this.list.addEventListener("contextmenu", function (event) {
      var item = event.target.closest(".msg:not(.is-pending)");
      if (!item || event.target.closest("a[href], video")) return;
      event.preventDefault();
      self.openMenu(item, { left: event.clientX, right: event.clientX, top: event.clientY, bottom: event.clientY }, null);
    });
    // A long press on a touch screen where the browser sends no contextmenu of its own.
    this.list.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "touch") return;
      var item = event.target.closest(".msg:not(.is-pending)");
      if (!item) return;
      pressedAt = { x: event.clientX, y: event.clientY };
      pressTimer = window.setTimeout(function () {
        var box = item.querySelector(".msg__col").getBoundingClientRect();
        self.openMenu(item, box, null);
      }, LONG_PRESS);
    });
    var cancel = function () { window.clearTimeout(pressTimer); };
    this.list.addEventListener("pointerup", cancel);
    this.list.addEventListener("pointercancel", cancel);
    this.list.addEventListener("pointermove", function (event) {
      if (pressedAt && Math.hypot(event.clientX - pressedAt.x, event.clientY - pressedAt.y) > 10) cancel();
    });
    menu.addEventListener("click", function (event) {
      var emoji = event.target.closest("[data-menu-react]");
      var action = event.target.closest("[data-menu-action]");
      var item = self.menuFor;
      if (!item) return;
      if (emoji) {
        self.closeMenu(true);
        self.react(item, emoji.dataset.menuReact);
      } else if (action) {
        self.closeMenu(action.dataset.menuAction !== "reply" && action.dataset.menuAction !== "edit");
        self.act(item, action.dataset.menuAction);
      }
    });
    menu.addEventListener("keydown", function (event) {
      var items = all(menu, "button:not([hidden])");
      var at = items.indexOf(document.activeElement);
      if (event.key === "Escape" || event.key === "Tab") {
        event.preventDefault();
        self.closeMenu(true);
      } else if (event.key === "ArrowDown" || event.key === "ArrowRight") {
        event.preventDefault();
        items[(at + 1) % items.length].focus();
      } else if (event.key === "ArrowUp" || event.key === "ArrowLeft") {
        event.preventDefault();
        items[(at - 1 + items.length) % items.length].focus();
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        items[event.key === "Home" ? 0 : items.length - 1].focus();
      }
    });
    document.addEventListener("pointerdown", function (event) {
      if (!menu.hidden && !menu.contains(event.target)) self.closeMenu(false);
    });
    window.addEventListener("resize", function () { self.closeMenu(false); });
    this.scroller.addEventListener("scroll", function () { self.closeMenu(false); });
  };

  Thread.prototype.openMenu = function (item, box, button) {
    var menu = this.menu;
    if (!item) return;
    this.closeMenu(false);
    this.menuFor = item;
    this.menuButton = button || item.querySelector("[data-msg-more]");
    var own = item.dataset.own === "true";
    var text = item.querySelector("[data-text]");
    var editable = Number(item.dataset.editable || 0) * 1000 > Date.now();
    menu.querySelector('[data-menu-action="edit"]').hidden = !(own && text && editable);
    menu.querySelector('[data-menu-action="unsend"]').hidden = !own;
    menu.querySelector('[data-menu-action="report"]').hidden = own;
    menu.querySelector('[data-menu-action="copy"]').hidden = !text;
    var mine = item.querySelector(".msg__reaction.is-mine");
    all(menu, "[data-menu-react]").forEach(function (emoji) {
      var chosen = !!mine && mine.dataset.reaction === emoji.dataset.menuReact;
      emoji.classList.toggle("is-mine", chosen);
      emoji.setAttribute("aria-label", (chosen ? "Remove your " : "React with ") + emoji.dataset.menuReact);
    });
    menu.hidden = false;
    var width = menu.offsetWidth;
    var height = menu.offsetHeight;
    var left = own ? box.right - width : box.left;
    left = Math.max(8, Math.min(left, window.innerWidth - width - 8));
    var top = box.bottom + 6;
    if (top + height > window.innerHeight - 8) top = box.top - height - 6;
    menu.style.left = left + "px";
    menu.style.top = Math.max(8, top) + "px";
    if (this.menuButton) this.menuButton.setAttribute("aria-expanded", "true");
    menu.querySelector("button:not([hidden])").focus();
  };

  Thread.prototype.closeMenu = function (refocus) {
    if (!this.menu || this.menu.hidden) return;
    this.menu.hidden = true;
    if (this.menuButton) {
      this.menuButton.setAttribute("aria-expanded", "false");
      if (refocus && this.menuButton.isConnected) this.menuButton.focus();
    }
    this.menuFor = null;
  };

  Thread.prototype.act = function (item, action) {
    var self = this;
    var text = item.querySelector("[data-text]");
    if (action === "reply") {
      var sender = item.dataset.own === "true" ? "yourself" : this.names[item.dataset.sender] || "them";
      var gist = text ? text.textContent.trim() : "A photo, a video or a share";
      this.editing = null;
      this.replyTo = item;
      this.form.querySelector("[data-composer-reply]").value = item.dataset.message;
      this.setContext("Replying to " + sender, gist);
      this.text.focus();
    } else if (action === "copy" && text) {
      var done = function () { self.say(""); self.flash("Copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.textContent).then(done, function () { self.say("Could not copy."); });
      } else {
        var area = document.createElement("textarea");
        area.value = text.textContent;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
        done();
      }
    } else if (action === "edit" && text) {
      this.replyTo = null;
      this.editing = item;
      this.text.value = text.textContent;
      this.setContext("Editing message", "");
      this.grow();
      this.ready();
      this.text.focus();
    } else if (action === "report") {
      // The moderation's report form, which comes back here once sent.
      var url = this.root.dataset.reportUrl.replace("/message/0/", "/message/" + item.dataset.message + "/");
      window.location.href = url + "?next=" + encodeURIComponent(this.root.dataset.here);
    } else if (action === "unsend") {
      direct.confirm({
        title: "Unsend message?",
        text: "It will be removed for everyone in the conversation.",
        yes: "Unsend",
      }).then(function (yes) {
        if (!yes) return;
        direct.api("DELETE", "messages/" + item.dataset.message)
          .then(function () { self.drop(item.dataset.message); })
          .catch(function (error) { self.say(error.message); });
      });
    }
  };

  Thread.prototype.flash = function (text) {
    var status = this.status;
    status.style.color = "var(--muted)";
    status.textContent = text;
    window.setTimeout(function () {
      if (status.textContent === text) status.textContent = "";
      status.style.color = "";
    }, 1500);
  };

  // React with an emoji, or take back one's own reaction when it is that emoji.
  Thread.prototype.react = function (item, emoji) {
    var self = this;
    if (!item) return;
    var mine = item.querySelector(".msg__reaction.is-mine");
    var same = mine && mine.dataset.reaction === emoji;
    var path = "messages/" + item.dataset.message + "/reactions";
    var call = same ? direct.api("DELETE", path) : direct.api("POST", path, { emoji: emoji });
    call.then(function () { return self.load(item.dataset.message); })
      .catch(function (error) { if (self.status) self.say(error.message); });
  };

  function ready(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }

  // The composer of a conversation not started yet is a plain form: Enter sends it too.
  function setupDraft(form) {
    var text = form.querySelector("[data-composer-text]");
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (text.value.trim()) form.requestSubmit();
      }
    });
  }

  ready(function () {
    var root = document.querySelector("[data-thread]");
    if (root && direct) new Thread(root);
    var draft = document.querySelector("[data-composer]:not([data-conversation])");
    if (draft) setupDraft(draft);
  });
})();

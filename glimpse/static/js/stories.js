// The full-screen story viewer. A link marked data-story-open (the tray, a highlights row,
// the archive) opens its stories over the page without reloading it: the server draws the
// viewer alone (header "X-Story-Viewer: fragment") and this script lays it over everything,
// in a dialog that keeps the focus. A viewer page opened by its address is taken over the
// same way. Taps, holds, swipes and keys drive it; seen marks, reactions and replies go
// through the JSON API with the page's CSRF token, like an app's.
(function () {
  "use strict";

  var HOLD_MS = 220; // a press longer than this is a hold (pause), not a tap
  var SWIPE_PX = 90; // a swipe down this far closes the viewer
  var MOVE_PX = 12;

  function api(csrf, method, url, body) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrf };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(function (data) {
        if (!response.ok) throw new Error((data.error && data.error.message) || "Something went wrong.");
        return data;
      });
    });
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  // --- One viewer: an account's stories, a highlight or an archived story ----------------

  function Viewer(root, host) {
    this.root = root;
    this.host = host;
    this.csrf = root.dataset.csrf;
    this.frame = root.querySelector("[data-story-frame]");
    this.stage = root.querySelector(".sv__stage");
    this.slides = all(root, "[data-story]");
    this.fills = all(root, ".sv__fill");
    this.own = root.dataset.own === "true";
    this.reasons = {}; // why it is paused: "user", "hold", "reply", "sheet", "hidden", "buffer"
    this.index = -1;
    this.timer = null;
    this.sound = Viewer.sound;
    this.deleted = false;
    this.bind();
    this.show(Math.min(parseInt(root.dataset.start, 10) || 0, this.slides.length - 1));
  }

  Viewer.sound = true; // the last choice, for the next video in this page

  Viewer.prototype.bind = function () {
    var self = this;
    var root = this.root;
    all(root, "[data-story-next]").forEach(function (button) {
      self.on(button, "click", function () { self.tap("next"); });
    });
    all(root, "[data-story-prev]").forEach(function (button) {
      self.on(button, "click", function () { self.tap("prev"); });
    });
    this.on(root.querySelector("[data-story-close]"), "click", function (event) {
      event.preventDefault();
      self.host.close();
    });
    this.on(root.querySelector("[data-story-pause]"), "click", function () { self.toggle(); });
    this.on(root.querySelector("[data-story-sound]"), "click", function () { self.setSound(!self.sound); });
    this.on(this.frame, "pointerdown", function (event) { self.press(event); });
    this.on(this.frame, "pointermove", function (event) { self.drag(event); });
    this.on(this.frame, "pointerup", function (event) { self.release(event, false); });
    this.on(this.frame, "pointercancel", function (event) { self.release(event, true); });
    this.on(this.frame, "contextmenu", function (event) { event.preventDefault(); });
    this.on(document, "keydown", function (event) { self.key(event); });
    this.on(document, "visibilitychange", function () {
      if (document.hidden) self.pause("hidden"); else self.resume("hidden");
    });
    // The "Send to…" sheet (send_to.js) holds the story while it is open.
    this.on(document, "glimpse:sheet", function (event) {
      if (event.detail && event.detail.open) self.pause("send"); else self.resume("send");
    });
    all(root, "[data-story-react]").forEach(function (button) {
      self.on(button, "mousedown", function (event) { event.preventDefault(); }); // keep the input's focus
      self.on(button, "click", function () { self.react(button); });
    });
    var reply = root.querySelector("[data-story-reply]");
    if (reply) {
      var input = reply.querySelector("input");
      var panel = root.querySelector("[data-story-reactions]");
      this.on(input, "focus", function () {
        self.pause("reply");
        if (panel) panel.hidden = false;
      });
      var away = function () {
        window.setTimeout(function () {
          var at = document.activeElement;
          if (reply.contains(at) || (panel && panel.contains(at))) return;
          if (panel) panel.hidden = true;
          self.resume("reply");
        }, 0);
      };
      this.on(reply, "focusout", away);
      this.on(panel, "focusout", away);
      this.on(reply, "submit", function (event) {
        event.preventDefault();
        self.reply(input);
      });
    }
    this.on(root.querySelector("[data-story-seen-by]"), "click", function () { self.viewers(); });
    this.on(root.querySelector("[data-story-delete]"), "click", function () {
      self.sheet(root.querySelector("[data-story-confirm]"));
    });
    this.on(root.querySelector("[data-story-delete-confirm]"), "click", function () { self.remove(); });
    all(root, "[data-story-sheet-close]").forEach(function (button) {
      self.on(button, "click", function () { self.sheet(null); });
    });
  };

  // Listeners are remembered so that closing the viewer removes every one of them.
  Viewer.prototype.on = function (target, kind, handler) {
    if (!target) return;
    target.addEventListener(kind, handler);
    (this.listeners = this.listeners || []).push([target, kind, handler]);
  };

  Viewer.prototype.destroy = function () {
    window.clearTimeout(this.timer);
    var video = this.video();
    if (video) video.pause();
    (this.listeners || []).forEach(function (l) { l[0].removeEventListener(l[1], l[2]); });
    this.listeners = [];
  };

  Viewer.prototype.current = function () {
    return this.slides[this.index];
  };

  Viewer.prototype.video = function () {
    var slide = this.current();
    return slide ? slide.querySelector("video") : null;
  };

  Viewer.prototype.show = function (index) {
    window.clearTimeout(this.timer);
    var old = this.video();
    if (old) old.pause();
    this.index = index;
    this.slides.forEach(function (slide, i) { slide.hidden = i !== index; });
    this.fills.forEach(function (fill, i) {
      fill.style.transition = "none";
      fill.style.width = i < index ? "100%" : "0";
    });
    var slide = this.current();
    this.duration = (parseFloat(slide.dataset.seconds) || 5) * 1000;
    this.elapsed = 0;
    this.describe(slide);
    this.sheet(null);
    delete this.reasons.buffer;
    var video = this.video();
    var sound = this.root.querySelector("[data-story-sound]");
    if (sound) sound.hidden = !video;
    if (video) this.startVideo(video);
    this.markSeen(slide);
    if (this.running()) this.run();
  };

  // The head (time, Close Friends), the owner's buttons and the report link follow the slide.
  Viewer.prototype.describe = function (slide) {
    var root = this.root;
    var when = root.querySelector("[data-story-when]");
    if (when) {
      when.textContent = slide.dataset.age;
      when.title = slide.dataset.ageLong;
    }
    var badge = root.querySelector("[data-story-close-badge]");
    if (badge) badge.hidden = slide.dataset.close !== "close_friends";
    var views = root.querySelector("[data-story-views]");
    if (views) views.textContent = slide.dataset.views || "0";
    var highlight = root.querySelector("[data-story-highlight]");
    if (highlight) highlight.href = highlight.href.split("?")[0] + "?story=" + slide.dataset.story;
    var report = root.querySelector("[data-story-report-link]");
    if (report) report.href = slide.dataset.report || "#";
    all(root, "[data-story-react]").forEach(function (b) { b.classList.remove("is-active"); });
  };

  Viewer.prototype.startVideo = function (video) {
    var self = this;
    video.currentTime = 0;
    video.muted = !this.sound;
    if (!video.dataset.bound) {
      video.dataset.bound = "true";
      this.on(video, "waiting", function () { if (video === self.video()) self.pause("buffer"); });
      this.on(video, "playing", function () { if (video === self.video()) self.resume("buffer"); });
    }
    var playing = this.running() ? video.play() : null;
    if (playing && playing.catch) {
      playing.catch(function () {
        // Sound needs a gesture first in some browsers: play muted, offer the sound button.
        video.muted = true;
        self.showSound(false);
        if (self.running() && video === self.video()) video.play().catch(function () {});
      });
    }
    this.showSound(!video.muted);
  };

  Viewer.prototype.setSound = function (on) {
    this.sound = Viewer.sound = on;
    var video = this.video();
    if (video) video.muted = !on;
    this.showSound(on);
  };

  Viewer.prototype.showSound = function (on) {
    var button = this.root.querySelector("[data-story-sound]");
    if (!button) return;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.setAttribute("aria-label", on ? "Turn sound off" : "Turn sound on");
  };

  Viewer.prototype.running = function () {
    return Object.keys(this.reasons).length === 0;
  };

  // Let the current slide's bar fill for the time it has left, then go on.
  Viewer.prototype.run = function () {
    var self = this;
    var fill = this.fills[this.index];
    var left = Math.max(this.duration - this.elapsed, 0);
    fill.style.transition = "none";
    fill.style.width = (100 * this.elapsed) / this.duration + "%";
    void fill.offsetWidth; // start the transition from the width just set
    fill.style.transition = "width " + left / 1000 + "s linear";
    fill.style.width = "100%";
    this.startedAt = Date.now();
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.next(); }, left);
    var video = this.video();
    if (video && video.paused) video.play().catch(function () {});
    this.root.dataset.paused = "false";
  };

  Viewer.prototype.pause = function (reason) {
    var was = this.running();
    this.reasons[reason] = true;
    if (!was) return;
    window.clearTimeout(this.timer);
    this.elapsed = Math.min(this.elapsed + (Date.now() - this.startedAt), this.duration);
    var fill = this.fills[this.index];
    fill.style.transition = "none";
    fill.style.width = (100 * this.elapsed) / this.duration + "%";
    var video = this.video();
    if (video && reason !== "buffer") video.pause();
    this.root.dataset.paused = "true";
  };

  Viewer.prototype.resume = function (reason) {
    if (!this.reasons[reason]) return;
    delete this.reasons[reason];
    if (this.running()) this.run();
  };

  Viewer.prototype.toggle = function () {
    var button = this.root.querySelector("[data-story-pause]");
    var paused = !this.reasons.user;
    if (paused) this.pause("user"); else this.resume("user");
    if (button) {
      button.setAttribute("aria-pressed", paused ? "true" : "false");
      button.setAttribute("aria-label", paused ? "Play" : "Pause");
    }
  };

  Viewer.prototype.next = function () {
    if (this.index + 1 < this.slides.length) this.show(this.index + 1);
    else this.host.done(this);
  };

  Viewer.prototype.prev = function () {
    if (this.index > 0) this.show(this.index - 1);
    else this.show(0);
  };

  Viewer.prototype.tap = function (where) {
    if (this.suppress) {
      this.suppress = false; // that press was a hold or a swipe, not a tap
      return;
    }
    if (this.root.querySelector(".sv-sheet:not([hidden])")) return this.sheet(null);
    if (where === "next") this.next(); else this.prev();
  };

  // --- Pointer: a press holds (pauses), a short one taps, a drag down closes -----------

  Viewer.prototype.press = function (event) {
    this.suppress = false;
    if (event.button !== 0) return;
    if (event.target.closest("a, input, .sv-sheet, .sv__reactions, .sv__head button")) return;
    this.pressed = { x: event.clientX, y: event.clientY, at: Date.now() };
    this.pause("hold");
  };

  Viewer.prototype.drag = function (event) {
    if (!this.pressed) return;
    var dy = event.clientY - this.pressed.y;
    if (dy > MOVE_PX && dy > Math.abs(event.clientX - this.pressed.x)) {
      this.stage.style.transition = "none";
      this.stage.style.transform = "translateY(" + dy + "px) scale(" + Math.max(0.85, 1 - dy / 2000) + ")";
      this.root.style.backgroundColor = "rgb(0 0 0 / " + Math.max(0.3, 1 - dy / 400) + ")";
    }
  };

  Viewer.prototype.release = function (event, cancelled) {
    if (!this.pressed) return;
    var dx = event.clientX - this.pressed.x;
    var dy = event.clientY - this.pressed.y;
    var held = Date.now() - this.pressed.at > HOLD_MS;
    this.pressed = null;
    this.stage.style.transition = "transform 0.2s ease";
    this.stage.style.transform = "";
    this.root.style.backgroundColor = "";
    if (!cancelled && dy > SWIPE_PX && dy > Math.abs(dx)) {
      this.suppress = true;
      this.host.close();
      return;
    }
    if (held || Math.abs(dx) > MOVE_PX || Math.abs(dy) > MOVE_PX) this.suppress = true;
    this.resume("hold");
  };

  Viewer.prototype.key = function (event) {
    if (event.defaultPrevented) return;
    var typing = event.target.closest && event.target.closest("input, textarea");
    if (event.key === "Escape") {
      event.preventDefault();
      if (this.root.querySelector(".sv-sheet:not([hidden])")) this.sheet(null);
      else this.host.close();
      return;
    }
    if (typing) return;
    if (event.key === "ArrowRight") { event.preventDefault(); this.next(); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); this.prev(); }
    else if (event.key === " " && !(event.target.closest && event.target.closest("button, a"))) {
      event.preventDefault();
      this.toggle();
    } else if (event.key === "Tab") {
      this.trap(event);
    }
  };

  // Keep Tab inside the dialog (the page behind is inert too, where browsers know it).
  Viewer.prototype.trap = function (event) {
    var items = all(this.root, "a[href], button:not([disabled]), input, [tabindex='0']").filter(function (el) {
      return el.offsetParent !== null || el === document.activeElement;
    });
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    if (event.shiftKey && (document.activeElement === first || !this.root.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !this.root.contains(document.activeElement))) {
      event.preventDefault();
      first.focus();
    }
  };

  // --- Writes: seen, reactions, replies, the owner's viewers and delete -----------------

  Viewer.prototype.url = function (slide, suffix) {
    return this.root.dataset.api + slide.dataset.story + suffix;
  };

  Viewer.prototype.markSeen = function (slide) {
    if (this.own || slide.dataset.seen === "true" || !this.csrf) return;
    slide.dataset.seen = "true";
    api(this.csrf, "POST", this.url(slide, "/seen"), {}).catch(function () {
      slide.dataset.seen = "false";
    });
  };

  Viewer.prototype.status = function (text) {
    var status = this.root.querySelector("[data-story-status]");
    if (!status) return;
    status.textContent = text;
    window.clearTimeout(this.statusTimer);
    this.statusTimer = window.setTimeout(function () { status.textContent = ""; }, 2500);
  };

  Viewer.prototype.react = function (button) {
    var self = this;
    var slide = this.current();
    var emoji = button.dataset.storyReact;
    api(this.csrf, "POST", this.url(slide, "/reactions"), { emoji: emoji }).then(function () {
      all(self.root, "[data-story-react]").forEach(function (b) {
        b.classList.toggle("is-active", b.dataset.storyReact === emoji);
      });
      self.status("Reaction sent.");
    }, function (error) { self.status(error.message); });
  };

  Viewer.prototype.reply = function (input) {
    var self = this;
    var text = input.value.trim();
    if (!text) return;
    api(this.csrf, "POST", this.url(this.current(), "/replies"), { text: text }).then(function () {
      input.value = "";
      input.blur();
      self.status("Reply sent.");
    }, function (error) { self.status(error.message); });
  };

  Viewer.prototype.sheet = function (panel) {
    all(this.root, ".sv-sheet").forEach(function (sheet) { sheet.hidden = sheet !== panel; });
    if (panel) {
      this.pause("sheet");
      var focus = panel.querySelector("button");
      if (focus) focus.focus();
    } else {
      this.resume("sheet");
    }
  };

  Viewer.prototype.viewers = function () {
    var self = this;
    var panel = this.root.querySelector("[data-story-viewers]");
    var list = this.root.querySelector("[data-story-viewers-list]");
    this.sheet(panel);
    list.textContent = "";
    api(this.csrf, "GET", this.url(this.current(), "/viewers")).then(function (page) {
      page.items.forEach(function (row) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "/" + encodeURIComponent(row.account.username) + "/";
        link.textContent = row.account.username;
        item.appendChild(link);
        list.appendChild(item);
      });
      if (!page.items.length) {
        var empty = document.createElement("li");
        empty.className = "muted";
        empty.textContent = "Nobody yet.";
        list.appendChild(empty);
      }
    }, function (error) { self.status(error.message); });
  };

  Viewer.prototype.remove = function () {
    var self = this;
    var slide = this.current();
    api(this.csrf, "DELETE", this.url(slide, "")).then(function () {
      self.deleted = true;
      self.sheet(null);
      var at = self.index;
      slide.remove();
      self.fills[at].parentNode.remove();
      self.slides.splice(at, 1);
      self.fills.splice(at, 1);
      self.index = -1;
      if (!self.slides.length) self.host.close();
      else self.show(Math.min(at, self.slides.length - 1));
    }, function (error) { self.status(error.message); });
  };

  // --- The host: lays viewers over the page, goes from one account to the next ---------

  var host = {
    viewer: null,
    layer: null,
    opener: null,
    pushed: false, // a history entry was added for the open viewer (Back closes it)
    links: [], // the addresses of the group it was opened from (tray, highlights, archive)
    visited: {},
    inerted: [],
    current: null,
    deleted: false,
    exit: null, // on a viewer page: where closing goes (home, the profile, the archive)

    open: function (url, opener) {
      var group = opener && opener.closest("[data-story-group]");
      this.links = group ? all(group, "[data-story-open]").map(function (a) { return a.href; }) : [];
      this.opener = opener;
      this.visited = {};
      this.load(url, true);
    },

    load: function (url, first) {
      var self = this;
      fetch(url, { credentials: "same-origin", headers: { "X-Story-Viewer": "fragment", Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement("template");
          template.innerHTML = html;
          var root = template.content.querySelector("[data-story-viewer]");
          if (!root || !root.querySelector("[data-story]")) throw new Error("no story");
          self.mount(root, url, first);
        })
        .catch(function () {
          if (first) window.location.href = url; // the page itself says what is wrong
          else self.close();
        });
    },

    mount: function (root, url, first) {
      var absolute = new URL(url, window.location.href).href;
      this.visited[absolute] = true;
      this.current = absolute;
      if (this.viewer) this.unmount();
      this.cover();
      this.layer.appendChild(root);
      if (first) {
        window.history.pushState({ storyViewer: true }, "", url);
        this.pushed = true;
      } else {
        window.history.replaceState(window.history.state, "", url);
      }
      this.start(root);
    },

    start: function (root) {
      root.tabIndex = -1;
      this.viewer = new Viewer(root, this);
      root.focus({ preventScroll: true });
    },

    // Lay the layer over the page: the page behind goes inert (no focus, no clicks) and
    // stops scrolling until the viewer closes.
    cover: function () {
      if (this.layer) return;
      var layer = (this.layer = document.createElement("div"));
      layer.className = "sv-layer";
      document.body.appendChild(layer);
      this.inerted = all(document.body, ":scope > *").filter(function (el) {
        return el !== layer && !el.inert;
      });
      this.inerted.forEach(function (el) { el.inert = true; });
      document.documentElement.classList.add("sv-locked");
    },

    uncover: function () {
      this.inerted.forEach(function (el) { el.inert = false; });
      this.inerted = [];
      document.documentElement.classList.remove("sv-locked");
      if (this.layer) this.layer.remove();
      this.layer = null;
    },

    unmount: function () {
      this.viewer.destroy();
      this.markRing(this.viewer);
      this.deleted = this.deleted || this.viewer.deleted;
      this.viewer.root.remove();
      this.viewer = null;
    },

    // At the end of a viewer: the next account (or highlight) not yet shown in this run.
    done: function (viewer) {
      var self = this;
      var next = null;
      var at = this.links.indexOf(this.current);
      if (at >= 0) {
        next = this.links.slice(at + 1).filter(function (href) { return !self.visited[href]; })[0];
      } else if (viewer.root.dataset.next) {
        var candidate = new URL(viewer.root.dataset.next, window.location.href).href;
        if (!this.visited[candidate]) next = candidate;
      }
      if (next) this.load(next, false);
      else this.close();
    },

    close: function () {
      if (this.exit) {
        if (this.viewer) this.viewer.destroy();
        window.location.href = this.exit;
        return;
      }
      if (!this.viewer && !this.layer) return;
      this.teardown();
      if (this.pushed) {
        this.pushed = false;
        window.history.back();
      }
    },

    teardown: function () {
      if (this.viewer) this.unmount();
      this.uncover();
      if (this.deleted) {
        this.deleted = false;
        window.location.reload();
        return;
      }
      if (this.opener && document.contains(this.opener)) this.opener.focus({ preventScroll: true });
    },

    // Once every story of an account was seen, its ring in the tray turns grey.
    markRing: function (viewer) {
      var seen = viewer.slides.every(function (slide) { return slide.dataset.seen === "true"; });
      var item = document.querySelector('[data-tray-account="' + viewer.root.dataset.account + '"]');
      if (!seen || !item || viewer.own) return;
      item.dataset.unseen = "false";
      var ring = item.querySelector(".story-ring");
      if (ring) ring.className = "story-ring story-ring--seen";
    }
  };

  // A viewer page opened by its address: the viewer leaves the page's flow for the same
  // layer, and closing it goes where the page says.
  function adopt(root) {
    host.exit = root.dataset.done;
    host.current = window.location.href;
    host.visited[host.current] = true;
    host.cover();
    host.layer.appendChild(root);
    host.start(root);
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var link = event.target.closest && event.target.closest("a[data-story-open]");
    if (!link || host.viewer) return;
    event.preventDefault();
    host.open(link.getAttribute("href"), link);
  });

  window.addEventListener("popstate", function () {
    if (host.viewer && host.pushed) {
      host.pushed = false;
      host.teardown();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-story-viewer]");
    if (root && root.querySelector("[data-story]")) adopt(root);
  });
})();

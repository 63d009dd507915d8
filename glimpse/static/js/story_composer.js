// "Add to your story": a full-screen 9:16 composer. A photo or video is previewed at once
// and uploaded (shape=story keeps it up to 9:16); text, mention, hashtag, place and link
// stickers are laid over it, moved with a finger or the mouse (pointer events) or the arrow
// keys, removed on the bin or with Delete. They are sent as data with the story, through
// the JSON API, never painted into the picture. Also: the highlight editor's cover picker.
(function () {
  "use strict";

  var STEP = 0.02; // an arrow key moves a sticker this far (Shift: five times)
  var POLL_MS = 1000;

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function request(csrf, method, url, body) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrf };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var error = new Error((data.error && data.error.message) || "Something went wrong.");
          error.fields = (data.error && data.error.fields) || {};
          throw error;
        }
        return data;
      });
    });
  }

  function Composer(root) {
    this.root = root;
    this.csrf = root.dataset.csrf;
    this.max = parseInt(root.dataset.max, 10) || 10;
    this.form = root.querySelector("[data-composer-form]");
    this.frame = root.querySelector("[data-composer-frame]");
    this.layer = root.querySelector("[data-composer-layer]");
    this.preview = root.querySelector("[data-composer-preview]");
    this.pick = root.querySelector("[data-composer-pick]");
    this.tools = root.querySelector("[data-composer-tools]");
    this.trash = root.querySelector("[data-composer-trash]");
    this.share = root.querySelector("[data-composer-share]");
    this.mediaField = root.querySelector("[data-composer-media]");
    this.stickersField = root.querySelector("[data-composer-stickers-field]");
    this.sheetBox = root.querySelector("[data-composer-sheet]");
    this.sheetForm = root.querySelector("[data-composer-sheet-form]");
    this.stickers = [];
    this.mediaId = null;
    this.bind();
    this.restore();
  }

  Composer.prototype.bind = function () {
    var self = this;
    var file = this.root.querySelector("[data-composer-file]");
    file.addEventListener("change", function () {
      if (file.files.length) self.choose(file.files[0]);
      file.value = "";
    });
    all(this.root, "[data-tool]").forEach(function (button) {
      button.addEventListener("click", function () { self.openSheet(button.dataset.tool, button); });
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    this.sheetForm.addEventListener("submit", function (event) {
      event.preventDefault();
      self.sheetDone();
    });
    this.root.querySelector("[data-sheet-cancel]").addEventListener("click", function () { self.closeSheet(); });
    this.sheetBox.addEventListener("click", function (event) {
      if (event.target === self.sheetBox) self.closeSheet();
    });
    this.sheetBox.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.closeSheet();
      }
    });
    all(this.sheetForm, "input[name=style], input[name=color]").forEach(function (input) {
      input.addEventListener("change", function () { self.paintTextField(); });
    });
    all(this.sheetForm, "[data-sheet-search]").forEach(function (input) {
      input.addEventListener("input", function () { self.search(input); });
    });
    this.frame.addEventListener("pointerdown", function (event) {
      if (!event.target.closest(".sticker")) self.select(null);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && self.sheetBox.hidden && !event.target.closest(".sticker")) {
        window.location.href = self.root.dataset.done;
      }
    });
  };

  Composer.prototype.status = function (text) {
    this.root.querySelector("[data-composer-status]").textContent = text;
  };

  Composer.prototype.error = function (messages) {
    var box = this.root.querySelector("[data-composer-error]");
    box.textContent = "";
    (messages || []).forEach(function (message) {
      var line = document.createElement("p");
      line.textContent = message;
      box.appendChild(line);
    });
    box.hidden = !(messages && messages.length);
  };

  // --- The photo or video -----------------------------------------------------------------

  Composer.prototype.choose = function (file) {
    var self = this;
    var video = file.type.indexOf("video/") === 0;
    this.showPreview(URL.createObjectURL(file), video);
    this.mediaId = null;
    this.mediaField.value = "";
    this.share.disabled = true;
    this.error([]);
    this.status("Uploading…");
    var body = new FormData();
    body.append("file", file);
    body.append("shape", "story");
    request(this.csrf, "POST", this.root.dataset.mediaApi, body).then(function (item) {
      self.status("Processing…");
      self.poll(item.id);
    }, function (error) {
      self.status("");
      self.error([error.message]);
      self.pick.hidden = false;
    });
  };

  Composer.prototype.poll = function (id) {
    var self = this;
    request(this.csrf, "GET", this.root.dataset.mediaApi + "/" + id).then(function (item) {
      if (item.status === "ready") {
        self.mediaId = item.id;
        self.mediaField.value = item.id;
        self.status("");
        self.share.disabled = false;
      } else if (item.status === "failed") {
        self.status("");
        self.error([item.failure_reason || "This file could not be processed."]);
        self.pick.hidden = false;
      } else {
        window.setTimeout(function () { self.poll(id); }, POLL_MS);
      }
    }, function (error) {
      self.status("");
      self.error([error.message]);
    });
  };

  Composer.prototype.showPreview = function (src, video) {
    this.preview.textContent = "";
    var backdrop = document.createElement(video ? "div" : "img");
    backdrop.className = "sc__fill";
    if (!video) {
      backdrop.src = src;
      backdrop.alt = "";
      backdrop.className = "sc__fill sc__blur";
    }
    var media = document.createElement(video ? "video" : "img");
    media.className = "sc__media";
    media.src = src;
    if (video) {
      media.muted = true;
      media.loop = true;
      media.autoplay = true;
      media.playsInline = true;
      media.setAttribute("aria-label", "Your video");
    } else {
      media.alt = "Your photo";
    }
    this.preview.appendChild(backdrop);
    this.preview.appendChild(media);
    this.preview.hidden = false;
    this.pick.hidden = true;
    this.tools.hidden = false;
  };

  // After the page's own form was refused (422), bring back what was chosen.
  Composer.prototype.restore = function () {
    var self = this;
    if (this.mediaField.value) {
      var id = this.mediaField.value;
      request(this.csrf, "GET", this.root.dataset.mediaApi + "/" + id).then(function (item) {
        var large = (item.renditions || []).filter(function (r) { return r.format !== "mp4"; })[0];
        if (!large || item.status !== "ready") return;
        self.showPreview(large.url, false);
        self.mediaId = item.id;
        self.share.disabled = false;
      }, function () {});
    }
    try {
      JSON.parse(this.stickersField.value || "[]").forEach(function (data) { self.add(data); });
    } catch (ignored) {
      // Nothing to bring back.
    }
  };

  // --- Stickers ------------------------------------------------------------------------------

  Composer.prototype.add = function (data) {
    if (this.stickers.length >= this.max) {
      this.error(["A story has at most " + this.max + " stickers."]);
      return;
    }
    var self = this;
    var sticker = { data: data, el: document.createElement("div") };
    var el = sticker.el;
    el.className = "sticker sticker--" + data.kind + (data.kind === "text" ? " sticker--" + data.style : "");
    el.tabIndex = 0;
    el.setAttribute("role", "group");
    el.setAttribute("aria-roledescription", "sticker");
    el.setAttribute("aria-label", this.describe(data) + ". Drag or use the arrow keys to move it; Delete removes it.");
    el.dataset.stickerKind = data.kind;
    if (data.kind === "text") {
      el.style.setProperty("--ink", data.paint);
      el.style.setProperty("--ink-on", data.inkOn);
    }
    var icon = this.root.querySelector('[data-composer-icon="' + data.kind + '"]');
    if (icon) el.appendChild(icon.cloneNode(true).firstElementChild);
    var words = document.createElement("span");
    words.textContent = this.label(data);
    el.appendChild(words);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "sticker__remove";
    remove.setAttribute("aria-label", "Remove sticker");
    remove.textContent = "×";
    remove.addEventListener("pointerdown", function (event) { event.stopPropagation(); });
    remove.addEventListener("click", function () { self.remove(sticker); });
    el.appendChild(remove);
    this.place(sticker);
    this.layer.appendChild(el);
    this.stickers.push(sticker);
    this.drag(sticker);
    el.addEventListener("keydown", function (event) { self.key(event, sticker); });
    this.error([]);
    this.select(sticker);
  };

  Composer.prototype.label = function (data) {
    if (data.kind === "mention") return "@" + data.username;
    if (data.kind === "hashtag") return "#" + data.tag;
    if (data.kind === "place") return data.name;
    if (data.kind === "link") return data.text || new URL(data.url).hostname.replace(/^www\./, "");
    return data.text;
  };

  Composer.prototype.describe = function (data) {
    var kinds = { text: "Text", mention: "Mention", hashtag: "Hashtag", place: "Place", link: "Link" };
    return kinds[data.kind] + " sticker: " + this.label(data);
  };

  Composer.prototype.place = function (sticker) {
    sticker.el.style.left = sticker.data.x * 100 + "%";
    sticker.el.style.top = sticker.data.y * 100 + "%";
  };

  Composer.prototype.select = function (sticker) {
    this.stickers.forEach(function (s) { s.el.classList.toggle("is-selected", s === sticker); });
  };

  Composer.prototype.remove = function (sticker) {
    sticker.el.remove();
    this.stickers = this.stickers.filter(function (s) { return s !== sticker; });
    this.status("Sticker removed.");
    var self = this;
    window.setTimeout(function () { self.status(""); }, 1500);
  };

  // Pointer drag: the sticker's centre follows the pointer, as fractions of the frame;
  // dropped on the bin, it goes. A press without a move selects it.
  Composer.prototype.drag = function (sticker) {
    var self = this;
    var el = sticker.el;
    var start = null;
    el.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      event.preventDefault();
      el.setPointerCapture(event.pointerId);
      var rect = self.frame.getBoundingClientRect();
      start = {
        x: event.clientX,
        y: event.clientY,
        dx: sticker.data.x * rect.width - (event.clientX - rect.left),
        dy: sticker.data.y * rect.height - (event.clientY - rect.top),
        moved: false
      };
      el.focus({ preventScroll: true });
    });
    el.addEventListener("pointermove", function (event) {
      if (!start) return;
      if (!start.moved && Math.hypot(event.clientX - start.x, event.clientY - start.y) < 4) return;
      start.moved = true;
      el.classList.add("is-dragging");
      self.trash.hidden = false;
      var rect = self.frame.getBoundingClientRect();
      sticker.data.x = clamp((event.clientX - rect.left + start.dx) / rect.width);
      sticker.data.y = clamp((event.clientY - rect.top + start.dy) / rect.height);
      self.place(sticker);
      self.trash.classList.toggle("is-over", self.overTrash(event));
    });
    var end = function (event) {
      if (!start) return;
      var moved = start.moved;
      start = null;
      el.classList.remove("is-dragging");
      var drop = moved && self.overTrash(event);
      self.trash.hidden = true;
      self.trash.classList.remove("is-over");
      if (drop) self.remove(sticker);
      else if (!moved) self.select(el.classList.contains("is-selected") ? null : sticker);
    };
    el.addEventListener("pointerup", end);
    el.addEventListener("pointercancel", end);
  };

  Composer.prototype.overTrash = function (event) {
    var rect = this.trash.getBoundingClientRect();
    var pad = 16;
    return event.clientX > rect.left - pad && event.clientX < rect.right + pad &&
      event.clientY > rect.top - pad && event.clientY < rect.bottom + pad;
  };

  Composer.prototype.key = function (event, sticker) {
    if (event.target !== sticker.el) return;
    var step = event.shiftKey ? STEP * 5 : STEP;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      event.preventDefault();
      sticker.data.x = clamp(sticker.data.x + moves[event.key][0]);
      sticker.data.y = clamp(sticker.data.y + moves[event.key][1]);
      this.place(sticker);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      this.remove(sticker);
    } else if (event.key === "Escape") {
      event.preventDefault();
      sticker.el.blur();
      this.select(null);
    }
  };

  // --- The sticker sheet -------------------------------------------------------------------

  Composer.prototype.openSheet = function (kind, opener) {
    if (this.stickers.length >= this.max) {
      this.error(["A story has at most " + this.max + " stickers."]);
      return;
    }
    var titles = { text: "Text", mention: "Mention", hashtag: "Hashtag", place: "Place", link: "Link" };
    this.kind = kind;
    this.opener = opener;
    this.sheetForm.reset();
    all(this.sheetForm, "[data-sheet-results]").forEach(function (list) { list.textContent = ""; });
    all(this.sheetForm, "[data-sheet]").forEach(function (panel) { panel.hidden = panel.dataset.sheet !== kind; });
    this.root.querySelector("[data-sheet-title]").textContent = titles[kind];
    this.sheetError("");
    this.paintTextField();
    this.sheetBox.hidden = false;
    var field = this.sheetForm.querySelector('[data-sheet="' + kind + '"] [data-sheet-field]');
    if (field) field.focus();
  };

  Composer.prototype.closeSheet = function () {
    this.sheetBox.hidden = true;
    if (this.opener) this.opener.focus();
  };

  Composer.prototype.sheetError = function (text) {
    var box = this.root.querySelector("[data-sheet-error]");
    box.textContent = text;
    box.hidden = !text;
  };

  Composer.prototype.paintTextField = function () {
    var field = this.sheetForm.querySelector("textarea[name=text]");
    var style = this.sheetForm.querySelector("input[name=style]:checked");
    var color = this.sheetForm.querySelector("input[name=color]:checked");
    field.className = "sc-sheet__text sticker--" + (style ? style.value : "classic");
    if (color) {
      field.style.setProperty("--ink", color.dataset.paint);
      field.style.setProperty("--ink-on", color.dataset.inkOn);
    }
  };

  // Read the sheet into a sticker, checked here as the server checks it again.
  Composer.prototype.sheetDone = function () {
    var form = this.sheetForm.elements;
    var at = this.stickers.length;
    var data = { kind: this.kind, x: 0.5, y: clamp(0.42 + (at % 5) * 0.06) };
    if (this.kind === "text") {
      var style = this.sheetForm.querySelector("input[name=style]:checked");
      var color = this.sheetForm.querySelector("input[name=color]:checked");
      data.text = form.text.value.trim();
      data.style = style.value;
      data.color = color.value;
      data.paint = color.dataset.paint;
      data.inkOn = color.dataset.inkOn;
      if (!data.text) return this.sheetError("Write something.");
    } else if (this.kind === "mention") {
      data.username = form.username.value.trim().replace(/^@/, "").toLowerCase();
      if (!/^[a-z0-9._]{1,30}$/.test(data.username)) return this.sheetError("Pick an account.");
    } else if (this.kind === "hashtag") {
      data.tag = form.tag.value.trim().replace(/^#/, "");
      if (!/^[\p{L}\p{M}\p{N}_]+$/u.test(data.tag) || !/\p{L}/u.test(data.tag)) {
        return this.sheetError("A hashtag is one word of letters, digits or _.");
      }
    } else if (this.kind === "place") {
      data.place_id = form.place_id.value;
      data.name = form.place_q.value.trim();
      if (!data.place_id) return this.sheetError("Pick a place from the list.");
    } else if (this.kind === "link") {
      data.url = form.url.value.trim();
      data.text = form.label.value.trim();
      var parsed = null;
      try { parsed = new URL(data.url); } catch (ignored) { parsed = null; }
      if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:") || !parsed.hostname) {
        return this.sheetError("Give a full web address starting with https:// or http://.");
      }
    }
    this.sheetBox.hidden = true;
    this.add(data);
    this.stickers[this.stickers.length - 1].el.focus();
  };

  // Suggestions: accounts for a mention, places for a place (the search API's answers).
  Composer.prototype.search = function (input) {
    var self = this;
    var kind = input.dataset.sheetSearch;
    var list = input.parentNode.querySelector("[data-sheet-results]");
    var q = input.value.trim().replace(/^@/, "");
    if (kind === "places") this.sheetForm.elements.place_id.value = "";
    window.clearTimeout(this.searchTimer);
    if (!q) {
      list.textContent = "";
      return;
    }
    this.searchTimer = window.setTimeout(function () {
      var url = kind === "places"
        ? self.root.dataset.placesApi + "?q=" + encodeURIComponent(q) + "&limit=6"
        : self.root.dataset.searchApi + "?type=accounts&q=" + encodeURIComponent(q) + "&limit=6";
      request(self.csrf, "GET", url).then(function (page) {
        list.textContent = "";
        page.items.forEach(function (item) {
          var row = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          var main = document.createElement("span");
          var sub = document.createElement("small");
          if (kind === "places") {
            main.textContent = item.name;
            sub.textContent = item.address || "";
          } else {
            main.textContent = item.username;
            sub.textContent = item.display_name || "";
          }
          button.appendChild(main);
          button.appendChild(sub);
          button.addEventListener("click", function () {
            if (kind === "places") {
              input.value = item.name;
              self.sheetForm.elements.place_id.value = item.id;
            } else {
              input.value = item.username;
            }
            self.sheetDone();
          });
          row.appendChild(button);
          list.appendChild(row);
        });
      }, function () { list.textContent = ""; });
    }, 200);
  };

  // --- Share ---------------------------------------------------------------------------------

  Composer.prototype.payload = function () {
    return this.stickers.map(function (sticker) {
      var d = sticker.data;
      var out = { kind: d.kind, x: Math.round(d.x * 10000) / 10000, y: Math.round(d.y * 10000) / 10000 };
      if (d.kind === "text") { out.text = d.text; out.style = d.style; out.color = d.color; }
      if (d.kind === "mention") out.username = d.username;
      if (d.kind === "hashtag") out.tag = d.tag;
      if (d.kind === "place") out.place_id = String(d.place_id);
      if (d.kind === "link") { out.url = d.url; if (d.text) out.text = d.text; }
      return out;
    });
  };

  Composer.prototype.submit = function () {
    var self = this;
    if (!this.mediaId) return;
    var audience = this.form.querySelector("input[name=audience]:checked");
    this.share.disabled = true;
    this.status("Sharing…");
    var body = { media_id: String(this.mediaId), audience: audience ? audience.value : "everyone", stickers: this.payload() };
    request(this.csrf, "POST", this.root.dataset.storyApi, body).then(function () {
      self.status("Shared to your story.");
      window.location.href = self.root.dataset.done;
    }, function (error) {
      self.status("");
      self.share.disabled = false;
      var problems = [];
      Object.keys(error.fields || {}).forEach(function (key) {
        problems = problems.concat(error.fields[key]);
      });
      self.error(problems.length ? problems : [error.message]);
    });
  };

  // --- The highlight editor: the chosen stories and their cover ----------------------------

  function HighlightForm(form) {
    var stories = all(form, "[data-highlight-story]");
    var preview = document.querySelector("[data-highlight-cover-preview]");
    var count = form.querySelector("[data-highlight-count]");
    function sync() {
      var chosen = stories.filter(function (box) { return box.checked; });
      stories.forEach(function (box) {
        box.closest("[data-highlight-tile]").classList.toggle("is-chosen", box.checked);
      });
      var cover = form.querySelector("[data-highlight-cover]:checked");
      var coverTile = cover && cover.closest("[data-highlight-tile]");
      if (!cover || !coverTile.querySelector("[data-highlight-story]").checked) {
        if (cover) cover.checked = false;
        if (chosen.length) {
          cover = chosen[0].closest("[data-highlight-tile]").querySelector("[data-highlight-cover]");
          cover.checked = true;
        } else {
          cover = null;
        }
      }
      if (count) count.textContent = chosen.length ? "(" + chosen.length + ")" : "";
      if (preview) {
        preview.textContent = "";
        var img = cover && cover.closest("[data-highlight-tile]").querySelector("img");
        if (img) {
          var copy = document.createElement("img");
          copy.className = "avatar avatar--xl";
          copy.src = img.src;
          copy.alt = "";
          preview.appendChild(copy);
        }
      }
    }
    form.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-story-composer]");
    if (root) {
      // Over everything, and the only thing that takes focus until it is closed.
      document.body.appendChild(root);
      all(document.body, ":scope > *").forEach(function (el) {
        if (el !== root && el.tagName !== "SCRIPT") el.inert = true;
      });
      document.documentElement.classList.add("sv-locked");
      new Composer(root);
    }
    var form = document.querySelector("[data-highlight-form]");
    if (form) new HighlightForm(form);
  });
})();

// The composer, in three steps like a photo app: select (pick or drop several photos and
// videos; they upload at once) → edit (each item: filter, adjust, crop by dragging, pinching
// and turning) → share (caption with @ and # suggestions, place, people, alt text, settings).
// Also the uploads page's delete buttons. Plain JavaScript, no build step. Every change goes
// through the JSON API with the session's CSRF token; nothing here is inline in the page, so
// a strict CSP can forbid that. The crop itself is js/cropper.js.
(function () {
  "use strict";

  var DEBOUNCE_MS = 80;
  var PREVIEW_MAX_WAIT_MS = 250; // while a slider keeps moving, still refresh this often
  var POLL_DELAYS_MS = [400, 700, 1000, 1500, 2000, 3000];
  var SPINNER_DELAY_MS = 250;
  var ASPECTS = { "1:1": 1, "4:5": 0.8, "1.91:1": 1.91 };
  var MIN_RATIO = ASPECTS["4:5"];
  var MAX_RATIO = ASPECTS["1.91:1"];
  var MIN_CROP_SIDE = 320; // pixels of the photo a post's crop keeps at least across
  var TITLES = { select: "New post", edit: "Edit", share: "New post" };
  var UPLOAD_TITLES = {
    413: "This file is too large.",
    415: "This kind of file is not supported.",
    429: "You have uploaded a lot just now.",
  };

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function csrfOf(root) {
    return root.dataset.csrf || cookie("csrftoken");
  }

  // --- The API ----------------------------------------------------------------------------

  var NETWORK_ERROR = {
    status: 0,
    code: "network",
    message: "Glimpse could not be reached. Check your connection and try again.",
    fields: [],
  };

  // Turn an answer's {"error": {code, message, fields}} into one object the page can show.
  function apiError(status, body) {
    var error = (body && body.error) || {};
    var fields = [];
    Object.keys(error.fields || {}).forEach(function (name) {
      [].concat(error.fields[name]).forEach(function (text) {
        fields.push(text);
      });
    });
    var message = error.message;
    if (!message) {
      message =
        status === 413
          ? "This file is too large."
          : "Something went wrong (" + status + "). Try again.";
    }
    return {
      status: status,
      code: error.code || "error",
      message: message,
      fields: fields,
      rawFields: error.fields || {},
    };
  }

  function parseJson(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (ignored) {
      return null;
    }
  }

  function api(method, url, csrf, body, signal) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrf };
    var options = { method: method, headers: headers, credentials: "same-origin", signal: signal };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(
      function (response) {
        return response.text().then(function (text) {
          var data = parseJson(text);
          if (!response.ok) throw apiError(response.status, data);
          return data;
        });
      },
      function (error) {
        throw error && error.name === "AbortError" ? error : NETWORK_ERROR;
      }
    );
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function showProblem(box, error, fallback) {
    box.textContent = "";
    var message = document.createElement("p");
    message.className = "problem__title";
    message.textContent = (error && error.message) || fallback;
    box.appendChild(message);
    ((error && error.fields) || []).forEach(function (text) {
      if (text === message.textContent) return;
      var line = document.createElement("p");
      line.textContent = text;
      box.appendChild(line);
    });
    box.hidden = false;
  }

  function nonZero(adjustments) {
    var result = {};
    Object.keys(adjustments || {}).forEach(function (name) {
      if (adjustments[name]) result[name] = adjustments[name];
    });
    return result;
  }

  // Previews are cached by URL; the version changes whenever the renditions do.
  function renditionKey(item) {
    return String(item.version || 0);
  }

  // --- Crops (as glimpse/media/crops.py checks them) ---------------------------------------

  function turnedSize(item, rotation) {
    return rotation % 180
      ? { width: item.height, height: item.width }
      : { width: item.width, height: item.height };
  }

  // The shape of an aspect: "original" is the turned photo's own, within 4:5 and 1.91:1.
  function ratioFor(aspect, item, rotation) {
    if (ASPECTS[aspect]) return ASPECTS[aspect];
    var size = turnedSize(item, rotation || 0);
    return Math.min(MAX_RATIO, Math.max(MIN_RATIO, size.width / size.height));
  }

  // An item's crop as the editor keeps it: {aspect, x, y, width, height, rotation}.
  function cropOf(item) {
    var crop = item.crop || {};
    var full = { aspect: "original", x: 0, y: 0, width: 1, height: 1, rotation: 0 };
    if (item.kind !== "photo" || !item.crop) return full;
    return {
      aspect: crop.aspect || "original",
      x: crop.x || 0,
      y: crop.y || 0,
      width: crop.width || 1,
      height: crop.height || 1,
      rotation: crop.rotation || 0,
    };
  }

  function sameCrop(a, b) {
    if (!a || !b || (a.rotation || 0) !== (b.rotation || 0)) return false;
    return ["x", "y", "width", "height"].every(function (key) {
      return Math.abs((a[key] || 0) - (b[key] || 0)) < 1e-5;
    });
  }

  // The centred square of a crop: what a square thumbnail of it shows.
  function squareOf(crop, item) {
    var size = turnedSize(item, crop.rotation || 0);
    var width = crop.width * size.width;
    var height = crop.height * size.height;
    var side = Math.min(width, height);
    return {
      x: crop.x + (width - side) / 2 / size.width,
      y: crop.y + (height - side) / 2 / size.height,
      width: side / size.width,
      height: side / size.height,
      rotation: crop.rotation || 0,
    };
  }

  // --- The composer -----------------------------------------------------------------------
  //
  // A post is a list of entries, one per picked file (or reopened upload), in post order.
  // Each entry uploads, processes, and is edited on its own; the editor shows the active
  // one. An entry: {key, file, name, kind, status ("queued", "uploading", "processing",
  // "ready", "failed"), progress, media (the API's item), error, edit, crop, alt, tags,
  // dirty (an edit or crop not saved to its item yet), saving (a promise)}.

  // One upload at a time: the uplink is the limit anyway, and items arrive in post order.
  var UPLOADS_AT_ONCE = 1;

  function Composer(root, config) {
    this.root = root;
    this.config = config;
    this.csrf = csrfOf(root);
    this.api = config.api.replace(/\/$/, "");
    this.itemsMax = parseInt(root.dataset.itemsMax, 10) || 20;
    this.altMax = parseInt(root.dataset.altMax, 10) || 1500;
    this.entries = [];
    this.entry = null; // the entry in the editor
    this.item = null; // its media item, as the API last answered
    this.nextKey = 1;
    this.step = "select";
    this.tab = "filter";
    this.edit = { filter: "normal", strength: 100, adjustments: {} };
    this.crop = null; // the active entry's crop, as on screen
    this.generation = 0; // bumped when starting over, to drop late answers of what was
    this.previewTimer = null;
    this.previewRequest = null;
    this.previewStarted = 0;
    this.shownPreview = "";
    this.cacheKey = "";
    this.spinnerTimer = null;
    this.sharing = false;
    this.leaving = false; // shared: the page may go without asking
    this.dirty = false; // an edit of the active entry not saved yet
    this.placeId = "";
    this.draftId = ""; // the draft or scheduled post being edited, if any (docs/drafts.md)
    this.draftPlace = null; // its place as saved, to send back as it was
    this.find = function (selector) {
      return root.querySelector(selector);
    };
    this.findAll = function (selector) {
      return Array.prototype.slice.call(root.querySelectorAll(selector));
    };
    var self = this;
    this.cropper = new window.GlimpseCropper(this.find("[data-frame]"), this.find("[data-preview]"), {
      minSide: MIN_CROP_SIDE,
      onChange: function (value, zoom) {
        self.cropMoved(value, zoom, false);
      },
      onCommit: function (value, zoom) {
        self.cropMoved(value, zoom, true);
      },
    });
    this.bind();
    this.bindSteps();
    this.bindTray();
    this.bindDetails();
    this.showStep("select");
    var input = this.find("#composer-file");
    var draft = /[?&]draft=(\d+)(&|$)/.exec(window.location.search);
    if (draft) {
      this.resume(draft[1]);
    } else if (config.mediaId) {
      this.reopen(config.mediaId);
    } else if (input.files && input.files.length) {
      // A file picked before this script ran would otherwise wait for a second pick.
      this.addFiles(input.files);
    } else {
      this.takeShared();
    }
    if (!draft && !config.mediaId) this.listDrafts();
    root.dataset.ready = "true";
  }

  // Files shared into Glimpse from another app (the web app's share target, docs/webapp.md):
  // the service worker keeps them and opens /create/?shared=1; app.js's glimpseShared()
  // hands them over once, and they join the post like picked files (any text: the caption).
  Composer.prototype.takeShared = function () {
    var self = this;
    if (!/[?&]shared=1(&|$)/.test(window.location.search) || !window.glimpseShared) return;
    window.history.replaceState(null, "", window.location.pathname);
    window.glimpseShared().then(function (shared) {
      if (shared.files.length) self.addFiles(shared.files);
      var caption = self.find("[data-caption]");
      if (shared.text && caption && !caption.value) {
        caption.value = shared.text;
        caption.dispatchEvent(new Event("input"));
      }
    });
  };

  Composer.prototype.bind = function () {
    var self = this;
    var input = this.find("#composer-file");
    var drop = this.find("[data-drop]");
    input.addEventListener("change", function () {
      if (input.files && input.files.length) self.addFiles(input.files);
    });
    ["dragenter", "dragover"].forEach(function (type) {
      drop.addEventListener(type, function (event) {
        event.preventDefault();
        drop.classList.add("is-over");
      });
    });
    ["dragleave", "dragend"].forEach(function (type) {
      drop.addEventListener(type, function (event) {
        // Moving over the zone's own children is not leaving it.
        if (!drop.contains(event.relatedTarget)) drop.classList.remove("is-over");
      });
    });
    // A file dropped anywhere on the page is taken (while picking, or added to the post
    // while editing), and never opened by the browser in place of the page.
    window.addEventListener("dragover", function (event) {
      event.preventDefault();
    });
    window.addEventListener("drop", function (event) {
      event.preventDefault();
      drop.classList.remove("is-over");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length && self.step !== "share") self.addFiles(files);
    });
    this.find("[data-restart]").addEventListener("click", function () {
      self.restart();
      input.click();
    });

    // The tools: tabs, as the ARIA pattern has them (arrows move between them).
    var tabs = this.findAll("[data-tab]");
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () {
        self.showTab(tab.dataset.tab);
      });
      tab.addEventListener("keydown", function (event) {
        var shown = tabs.filter(function (t) { return !t.hidden; });
        var index = shown.indexOf(tab);
        var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: shown.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        next = (next + shown.length) % shown.length;
        shown[next].focus();
        self.showTab(shown[next].dataset.tab);
      });
    });

    // The filter strip: a radio group; arrows move and choose, like native radio buttons.
    var strip = this.find("[data-filters]");
    strip.addEventListener("click", function (event) {
      var button = event.target.closest("[data-filter]");
      if (button) self.chooseFilter(button.dataset.filter, true);
    });
    strip.addEventListener("keydown", function (event) {
      var buttons = self.findAll("[data-filter]");
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) return;
      var next = {
        ArrowRight: index + 1,
        ArrowDown: index + 1,
        ArrowLeft: index - 1,
        ArrowUp: index - 1,
        Home: 0,
        End: buttons.length - 1,
      }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      next = Math.max(0, Math.min(buttons.length - 1, next));
      buttons[next].focus();
      self.chooseFilter(buttons[next].dataset.filter, true);
    });
    var viewport = this.find("[data-strip]");
    strip.addEventListener(
      "scroll",
      function () {
        self.stripEdges();
      },
      { passive: true }
    );
    this.findAll("[data-scroll]").forEach(function (button) {
      button.addEventListener("click", function () {
        var step = strip.clientWidth * 0.8 * parseInt(button.dataset.scroll, 10);
        strip.scrollBy({ left: step, behavior: "smooth" });
      });
    });
    this.stripEdges = function () {
      var before = strip.scrollLeft > 4;
      var after = strip.scrollLeft + strip.clientWidth < strip.scrollWidth - 4;
      viewport.classList.toggle("has-more-before", before);
      viewport.classList.toggle("has-more-after", after);
      self.find('[data-scroll="-1"]').hidden = !before;
      self.find('[data-scroll="1"]').hidden = !after;
    };

    var strength = this.find("[data-strength]");
    strength.addEventListener("input", function () {
      self.edit.strength = parseInt(strength.value, 10);
      self.changed();
    });
    this.findAll("[data-adjustment]").forEach(function (slider) {
      slider.addEventListener("input", function () {
        self.edit.adjustments[slider.dataset.adjustment] = parseInt(slider.value, 10);
        self.changed();
      });
      // A double click puts one slider back at zero, as photo apps do.
      slider.addEventListener("dblclick", function () {
        slider.value = "0";
        slider.dispatchEvent(new Event("input"));
      });
    });
    this.find("[data-reset]").addEventListener("click", function () {
      self.edit.adjustments = {};
      self.changed();
    });

    // The crop: its shape, zoom and turn (dragging and pinching are the cropper's).
    this.findAll("[data-aspect]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.setAspect(button.dataset.aspect);
      });
    });
    var zoom = this.find("[data-zoom]");
    zoom.addEventListener("input", function () {
      self.cropper.zoomTo(parseFloat(zoom.value), null, false);
    });
    zoom.addEventListener("change", function () {
      self.cropMoved(self.cropper.value(), self.cropper.zoom, true);
    });
    this.find("[data-rotate]").addEventListener("click", function () {
      self.rotate();
    });
    this.findAll("[data-mode]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.showMode(button.dataset.mode);
      });
    });

    // Leaving with a post not shared asks first, as photo apps do.
    window.addEventListener("beforeunload", function (event) {
      if (self.leaving || !self.live().length) return;
      event.preventDefault();
      event.returnValue = "";
    });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        if (self.step === "edit" && self.item) {
          self.fitStage();
          self.stripEdges();
          self.schedulePreview();
        } else if (self.step === "share" && self.live().length) {
          self.showDetailsPreview(self.live()[0]);
        }
      }, 150);
    });
  };

  // --- The steps --------------------------------------------------------------------------

  Composer.prototype.bindSteps = function () {
    var self = this;
    this.find("[data-next]").addEventListener("click", function () {
      self.toShare();
    });
    this.find("[data-back]").addEventListener("click", function () {
      if (self.step === "share") self.toEditor();
      else if (self.step === "edit") self.discard();
    });
  };

  Composer.prototype.showStep = function (step) {
    this.step = step;
    this.root.dataset.step = step;
    this.find("[data-picker]").hidden = step !== "select";
    this.find("[data-editor]").hidden = step !== "edit";
    this.find("[data-details]").hidden = step !== "share";
    this.find("[data-close]").hidden = step !== "select";
    this.find("[data-back]").hidden = step === "select";
    this.find("[data-back]").setAttribute(
      "aria-label",
      step === "share" ? "Back to editing" : "Discard and start over"
    );
    this.find("[data-uploads-link]").hidden = step !== "select";
    this.find("[data-drafts-link]").hidden = step !== "select";
    this.find("[data-save-draft]").hidden = step === "select";
    this.find("[data-next]").hidden = step !== "edit";
    this.find("[data-share]").hidden = step !== "share";
    var title = this.draftId && step !== "edit" ? "Edit draft" : TITLES[step];
    this.find("[data-title]").textContent = title;
    document.title = title + " · Glimpse";
  };

  // Back from editing: the picked files are dropped (after asking), the picker comes back.
  Composer.prototype.discard = function () {
    if (!window.confirm("Discard this post? Your edits won't be kept.")) return;
    this.restart();
    this.showStep("select");
    this.find("#composer-file").focus();
  };

  Composer.prototype.toShare = function () {
    if (!this.entry) return;
    this.stash();
    // The editor's pictures still on their way are not needed any more.
    if (this.previewRequest) {
      this.previewRequest.abort();
      this.previewDone(this.previewRequest);
    }
    clearTimeout(this.previewTimer);
    this.findAll("[data-thumb]").forEach(function (thumb) {
      if (!thumb.complete) thumb.removeAttribute("src");
    });
    this.showStep("share");
    this.renderShareFields();
    this.showDetailsPreview(this.live()[0] || this.entry);
    this.find("[data-share-error]").hidden = true;
    this.find("[data-caption]").focus();
    window.scrollTo({ top: 0 });
  };

  Composer.prototype.toEditor = function () {
    this.stashShare();
    this.showStep("edit");
    if (this.entry) this.open(this.entry);
  };

  // This browser's IANA time zone (Europe/Paris), or UTC when it cannot tell.
  function timeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (ignored) {
      return "UTC";
    }
  }

  // --- Step 1: upload and wait ------------------------------------------------------------

  function kindOf(file) {
    return /^video\//.test(file.type || "") ? "video" : "photo";
  }

  Composer.prototype.newEntry = function (fields) {
    var entry = Object.assign(
      {
        key: "e" + this.nextKey++,
        file: null,
        name: "",
        kind: "photo",
        status: "processing",
        progress: 0,
        media: null,
        error: null,
        edit: null,
        crop: null,
        alt: null,
        tags: "",
        dirty: false,
        localUrl: "",
        xhr: null,
        removed: false,
      },
      fields
    );
    this.entries.push(entry);
    return entry;
  };

  // Take picked or dropped files: each becomes an item of the post, up to the limit.
  Composer.prototype.addFiles = function (fileList) {
    var files = Array.prototype.slice.call(fileList);
    var room = this.itemsMax - this.live().length;
    var left = files.length - Math.max(room, 0);
    if (this.step === "select") this.hideError();
    files.slice(0, Math.max(room, 0)).forEach(function (file) {
      var entry = this.newEntry({ file: file, name: file.name, kind: kindOf(file), status: "queued" });
      if (entry.kind === "photo" && /^image\/(jpeg|png|webp|gif)$/.test(file.type || "")) {
        entry.localUrl = URL.createObjectURL(file);
      }
    }, this);
    if (left > 0) {
      this.trayProblem(
        "A post has at most " + this.itemsMax + " photos and videos: " +
          (left === 1 ? "1 file was" : left + " files were") + " left out."
      );
    }
    this.find("#composer-file").value = "";
    var more = this.find("#composer-more");
    if (more) more.value = "";
    this.pump();
    this.renderTray();
  };

  // The entries still part of the post (failed ones stay until removed, shown as failed).
  Composer.prototype.live = function () {
    return this.entries.filter(function (entry) {
      return !entry.removed;
    });
  };

  // Start queued uploads, a few at a time.
  Composer.prototype.pump = function () {
    var running = this.entries.filter(function (e) { return e.status === "uploading"; }).length;
    var queued = this.entries.filter(function (e) { return e.status === "queued"; });
    while (running < UPLOADS_AT_ONCE && queued.length) {
      this.upload(queued.shift());
      running += 1;
    }
  };

  Composer.prototype.upload = function (entry) {
    var self = this;
    var file = entry.file;
    var largest = Math.max(this.config.photoMaxBytes, this.config.videoMaxBytes);
    entry.status = "uploading";
    if (file.size > largest) {
      var megabytes = Math.floor(this.config.videoMaxBytes / (1024 * 1024));
      this.failed(entry, { status: 413, message: "A video can be at most " + megabytes + " MB.", fields: [] });
      return;
    }
    this.progress(entry, 0, "Uploading… 0%");
    var body = new FormData();
    body.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    entry.xhr = xhr;
    xhr.open("POST", this.api);
    xhr.setRequestHeader("X-CSRFToken", this.csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable || entry.removed) return;
      var share = event.loaded / event.total;
      self.progress(entry, share, "Uploading… " + Math.round(share * 100) + "%");
    });
    xhr.upload.addEventListener("load", function () {
      if (!entry.removed) self.progress(entry, 1, "Processing…", true);
    });
    xhr.addEventListener("load", function () {
      entry.xhr = null;
      if (entry.removed) return;
      var data = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && data && data.id) {
        entry.status = "processing";
        entry.media = data;
        self.renderTray();
        self.watch(entry, data);
      } else {
        self.failed(entry, apiError(xhr.status, data));
      }
      self.pump();
    });
    xhr.addEventListener("error", function () {
      entry.xhr = null;
      if (!entry.removed) self.failed(entry, NETWORK_ERROR);
      self.pump();
    });
    xhr.send(body);
  };

  Composer.prototype.reopen = function (mediaId) {
    var self = this;
    var entry = this.newEntry({ name: "", status: "processing" });
    this.showProgress("", 1, "Opening your upload…", true);
    api("GET", this.api + "/" + mediaId, this.csrf).then(function (item) {
      entry.kind = item.kind;
      entry.media = item;
      self.watch(entry, item);
    }, function (error) {
      self.failed(entry, error);
    });
  };

  // Poll an entry's item until it is ready (then it can open) or failed (then say why).
  Composer.prototype.watch = function (entry, item) {
    var self = this;
    var attempt = 0;
    var generation = this.generation;
    function check(current) {
      if (entry.removed || generation !== self.generation) return;
      entry.media = current;
      entry.kind = current.kind;
      if (current.status === "ready") {
        self.processed(entry);
      } else if (current.status === "failed") {
        var reason = current.failure_reason || "This file could not be processed.";
        self.failed(entry, { message: reason, fields: [] });
      } else {
        var delay = POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)];
        attempt += 1;
        setTimeout(function () {
          if (entry.removed || generation !== self.generation) return;
          api("GET", self.api + "/" + current.id, self.csrf).then(check, function (error) {
            if (!entry.removed && generation === self.generation) self.failed(entry, error);
          });
        }, delay);
      }
    }
    check(item);
  };

  Composer.prototype.processed = function (entry) {
    entry.status = "ready";
    entry.error = null;
    if (entry.waiters) {
      entry.waiters.forEach(function (resolve) { resolve(); });
      entry.waiters = null;
    }
    if (!this.openFirst()) this.renderTray();
    this.announce(this.label(entry) + " is ready.");
  };

  // Before anything is open, open the post's first item once the files picked together
  // are uploaded (the editor's previews then have the server to themselves).
  Composer.prototype.openFirst = function () {
    if (this.entry) return false;
    var live = this.live();
    var busy = live.some(function (e) { return e.status === "queued" || e.status === "uploading"; });
    if (busy) return false;
    var first = live.filter(function (e) { return e.status !== "failed"; })[0];
    if (!first || first.status !== "ready") return false;
    this.showStep("edit");
    this.open(first);
    return true;
  };

  // An upload the server refused, or one that could not be processed.
  Composer.prototype.failed = function (entry, error) {
    entry.status = "failed";
    entry.error = error;
    entry.xhr = null;
    if (entry.waiters) {
      entry.waiters.forEach(function (resolve) { resolve(); });
      entry.waiters = null;
    }
    var pending = this.live().some(function (e) {
      return e.status !== "failed";
    });
    if (!this.entry && !pending) {
      // Nothing could be opened: the picker says why, as it always did.
      this.entries = [];
      this.showError(error);
      return;
    }
    if (!this.openFirst()) this.renderTray();
    this.trayProblem(
      (entry.name || this.label(entry)) + ": " + (UPLOAD_TITLES[error.status] || error.message),
      error.fields
    );
  };

  // Show an upload's progress: in the picker while nothing is open yet, in the tray after.
  Composer.prototype.progress = function (entry, share, label, indeterminate) {
    entry.progress = share;
    entry.progressLabel = label;
    if (!this.entry) {
      var live = this.live();
      var name = entry.name;
      if (live.length > 1) {
        name = "File " + (live.indexOf(entry) + 1) + " of " + live.length + ": " + entry.name;
      }
      this.showProgress(name, share, label, indeterminate);
    } else {
      this.renderTile(entry);
    }
  };

  Composer.prototype.showProgress = function (name, share, label, indeterminate) {
    this.find("[data-idle]").hidden = true;
    this.find("[data-progress]").hidden = false;
    this.find("[data-progress-file]").textContent = name;
    this.find("[data-progress-label]").textContent = label;
    var meter = this.find("[data-meter]");
    meter.classList.toggle("is-indeterminate", Boolean(indeterminate));
    meter.setAttribute("role", "progressbar");
    meter.setAttribute("aria-label", label);
    meter.setAttribute("aria-valuemin", "0");
    meter.setAttribute("aria-valuemax", "100");
    meter.setAttribute("aria-valuenow", String(Math.round(share * 100)));
    this.find("[data-meter-bar]").style.width = Math.round(share * 100) + "%";
  };

  Composer.prototype.showError = function (error) {
    this.showStep("select");
    this.find("[data-idle]").hidden = false;
    this.find("[data-progress]").hidden = true;
    var box = this.find("[data-error]");
    // A refusal by kind or size gets a plain headline; the server's words follow it.
    var title = UPLOAD_TITLES[error.status];
    var details = [error.message].concat(error.fields || []);
    if (!title) title = details.shift();
    this.find("[data-error-message]").textContent = title;
    var list = this.find("[data-error-fields]");
    list.textContent = "";
    details.forEach(function (text) {
      if (!text || text === title) return;
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    list.hidden = !list.children.length;
    box.hidden = false;
    this.find("#composer-file").value = "";
  };

  Composer.prototype.hideError = function () {
    this.find("[data-error]").hidden = true;
  };

  Composer.prototype.restart = function () {
    this.generation += 1;
    this.entries.forEach(function (entry) {
      entry.removed = true;
      if (entry.xhr) entry.xhr.abort();
      if (entry.localUrl) URL.revokeObjectURL(entry.localUrl);
    });
    this.entries = [];
    this.entry = null;
    this.item = null;
    this.hideError();
    this.trayProblem("");
    this.find("[data-idle]").hidden = false;
    this.find("[data-progress]").hidden = true;
    this.find("[data-preview]").removeAttribute("src");
    this.shownPreview = "";
  };

  // --- Step 2: edit -----------------------------------------------------------------------

  // Open an entry in the editor, with the edit and crop it had when last left.
  Composer.prototype.open = function (entry) {
    var item = entry.media;
    var edit = entry.edit || item.edit || {};
    var changing = this.entry !== entry;
    this.entry = entry;
    this.item = item;
    this.edit = {
      filter: edit.filter || "normal",
      strength: typeof edit.strength === "number" ? edit.strength : 100,
      adjustments: Object.assign({}, edit.adjustments || {}),
    };
    this.crop = Object.assign({}, entry.crop || cropOf(item));
    var isVideo = item.kind === "video";
    this.find("#tab-crop").hidden = isVideo;
    if (isVideo && this.tab === "crop") this.tab = "filter";
    this.find("[data-video-modes]").hidden = !isVideo;
    this.find("[data-video-note]").hidden = !isVideo;
    this.find("[data-frame]").classList.toggle("is-video", isVideo);
    var video = this.find("[data-video]");
    if (isVideo) {
      var mp4 = this.videoRendition(item);
      video.src = mp4 ? mp4.url : "";
    } else {
      video.removeAttribute("src");
    }
    this.showMode("cover");
    this.rendered(item);
    var image = this.find("[data-preview]");
    if (changing) {
      // The picked file shows at once (when the browser can draw it); the server's preview
      // with the edit replaces it.
      this.shownPreview = "";
      if (entry.localUrl) image.src = entry.localUrl;
      else image.removeAttribute("src");
      delete image.dataset.url;
    }
    this.dirty = entry.dirty;
    this.cropper.enabled = !isVideo;
    // A video keeps its own shape (only photos are cropped): its cover shows whole.
    var ratio = isVideo
      ? (item.width || 16) / (item.height || 9)
      : ratioFor(this.crop.aspect, item, this.crop.rotation);
    this.cropper.set(item, this.crop, ratio);
    this.find("[data-frame]").setAttribute(
      "aria-label",
      isVideo ? "Your video's cover" : this.label(entry) + ", as it will be cropped"
    );
    this.showTab(this.tab);
    this.syncControls();
    this.fitStage();
    this.loadPreview();
    this.scrollToChosen();
    this.stripEdges();
    this.renderTray();
  };

  // Keep what the editor shows of the active entry on the entry, to come back to it.
  Composer.prototype.stash = function () {
    var entry = this.entry;
    if (!entry || this.step !== "edit") return;
    entry.edit = {
      filter: this.edit.filter,
      strength: this.edit.strength,
      adjustments: Object.assign({}, this.edit.adjustments),
    };
    if (this.crop) entry.crop = Object.assign({}, this.crop);
    entry.dirty = this.dirty;
  };

  // Edit another entry: the one left keeps its edit (saved when the post is shared).
  Composer.prototype.select = function (entry) {
    if (entry === this.entry || entry.status !== "ready") return;
    this.stash();
    this.open(entry);
  };

  Composer.prototype.showTab = function (name) {
    this.tab = name;
    this.findAll("[data-tab]").forEach(function (tab) {
      var on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
    });
    this.findAll("[data-panel]").forEach(function (panel) {
      panel.hidden = panel.dataset.panel !== name;
    });
    this.find("[data-frame]").classList.toggle("is-cropping", name === "crop");
    if (name === "filter") {
      this.scrollToChosen();
      this.stripEdges();
    }
  };

  // The filter thumbnails of the active item.
  Composer.prototype.rendered = function (item) {
    var self = this;
    this.item = item;
    this.cacheKey = renditionKey(item);
    this.findAll("[data-filter]").forEach(function (button) {
      var thumb = button.querySelector("[data-thumb]");
      var look = { filter: button.dataset.filter, strength: 100, adjustments: {} };
      thumb.src = self.previewUrl(look, 320);
    });
    this.turnThumbs();
  };

  // The thumbnails show the whole photo, turned as the crop is.
  Composer.prototype.turnThumbs = function () {
    var turn = this.crop && this.crop.rotation ? "rotate(" + this.crop.rotation + "deg)" : "";
    this.findAll("[data-thumb]").forEach(function (thumb) {
      thumb.style.transform = turn;
    });
  };

  // Bring the chosen filter into view inside the strip, without scrolling the page.
  Composer.prototype.scrollToChosen = function () {
    var strip = this.find("[data-filters]");
    var chosen = this.find('[data-filter][aria-checked="true"]');
    if (!chosen || !strip.clientWidth) return;
    var left = chosen.offsetLeft - strip.offsetLeft;
    strip.scrollLeft = left - (strip.clientWidth - chosen.offsetWidth) / 2;
  };

  Composer.prototype.videoRendition = function (item) {
    var videos = (item.renditions || []).filter(function (r) {
      return r.format === "mp4";
    });
    videos.sort(function (a, b) {
      return Math.abs(a.height - 720) - Math.abs(b.height - 720);
    });
    return videos[0] || null;
  };

  Composer.prototype.showMode = function (mode) {
    var video = this.find("[data-video]");
    var isVideo = mode === "video";
    video.hidden = !isVideo;
    this.find("[data-preview]").hidden = isVideo;
    this.find("[data-frame]").classList.toggle("is-playing", isVideo);
    if (!isVideo && !video.paused) video.pause();
    this.findAll("[data-mode]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
    });
  };

  Composer.prototype.chooseFilter = function (name, fromUser) {
    this.edit.filter = name;
    if (fromUser && this.edit.strength === 0) this.edit.strength = 100;
    this.syncControls();
    if (fromUser) this.changed();
  };

  // Put every control in line with the current edit and crop.
  Composer.prototype.syncControls = function () {
    var self = this;
    var chosen = this.edit.filter;
    this.findAll("[data-filter]").forEach(function (button) {
      var on = button.dataset.filter === chosen;
      button.setAttribute("aria-checked", String(on));
      button.tabIndex = on ? 0 : -1;
    });
    var strength = this.find("[data-strength]");
    strength.value = String(this.edit.strength);
    strength.disabled = chosen === "normal";
    this.findAll("[data-adjustment]").forEach(function (slider) {
      slider.value = String(self.edit.adjustments[slider.dataset.adjustment] || 0);
    });
    var aspect = this.crop ? this.crop.aspect : "original";
    this.findAll("[data-aspect]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.aspect === aspect));
    });
    this.syncZoom();
    this.findAll("[data-value-of]").forEach(function (output) {
      var input = self.find("#" + output.dataset.valueOf);
      var value = parseInt(input.value, 10);
      var low = parseInt(input.min, 10);
      var high = parseInt(input.max, 10);
      output.textContent = low < 0 && value > 0 ? "+" + value : String(value);
      input.style.setProperty("--fill", ((value - low) / (high - low)) * 100 + "%");
    });
  };

  Composer.prototype.syncZoom = function () {
    var zoom = this.find("[data-zoom]");
    var most = this.cropper.maxZoom();
    zoom.max = String(Math.round(most * 100) / 100);
    zoom.value = String(this.cropper.zoom);
    zoom.disabled = most <= 1.001;
    zoom.setAttribute("aria-valuetext", Math.round(this.cropper.zoom * 100) + "%");
    zoom.style.setProperty("--fill", ((this.cropper.zoom - 1) / Math.max(0.01, most - 1)) * 100 + "%");
  };

  Composer.prototype.changed = function () {
    this.syncControls();
    this.markDirty();
    this.schedulePreview();
  };

  Composer.prototype.markDirty = function () {
    this.dirty = true;
    if (this.entry) this.entry.dirty = true;
  };

  // --- The crop ---------------------------------------------------------------------------

  // Give the frame the most room the stage has, in the crop's shape.
  Composer.prototype.fitStage = function () {
    var stage = this.find("[data-stage]");
    var style = window.getComputedStyle(stage);
    var across = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    var down = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    var modes = this.find("[data-video-modes]");
    if (!modes.hidden) down += modes.offsetHeight + parseFloat(style.rowGap || 0);
    this.cropper.fit(stage.clientWidth - across, stage.clientHeight - down);
    this.syncZoom();
  };

  Composer.prototype.cropMoved = function (value, zoom, committed) {
    if (!this.crop) return;
    Object.assign(this.crop, value);
    this.syncZoom();
    if (!committed) return;
    var saved = this.entry && this.entry.media ? cropOf(this.entry.media) : null;
    if (!saved || saved.aspect !== this.crop.aspect || !sameCrop(saved, this.crop)) this.markDirty();
    this.stash();
    this.refreshThumb();
    // Zoomed in, the picture on screen may need more pixels.
    this.schedulePreview();
  };

  Composer.prototype.setAspect = function (aspect) {
    if (!this.crop || this.item.kind !== "photo") return;
    this.crop.aspect = aspect;
    this.cropper.setRatio(ratioFor(aspect, this.item, this.crop.rotation));
    this.fitStage();
    this.syncControls();
  };

  Composer.prototype.rotate = function () {
    if (!this.crop || this.item.kind !== "photo") return;
    var rotation = (this.crop.rotation + 90) % 360;
    this.cropper.rotate(ratioFor(this.crop.aspect, this.item, rotation));
    this.fitStage();
    this.turnThumbs();
    this.syncControls();
    this.announce("Turned to " + rotation + " degrees.");
  };

  // --- Previews ---------------------------------------------------------------------------

  // The smallest preview size that stays sharp at the size the picture is drawn.
  Composer.prototype.previewSize = function () {
    var drawn = parseFloat(this.find("[data-preview]").style.width) || 540;
    var needed = drawn * (window.devicePixelRatio || 1);
    var sizes = this.config.previewSizes.filter(function (size) {
      return size >= 540;
    });
    for (var i = 0; i < sizes.length; i += 1) {
      if (sizes[i] >= needed) return sizes[i];
    }
    return sizes[sizes.length - 1];
  };

  Composer.prototype.previewUrl = function (edit, size) {
    return this.previewUrlFor(this.item, edit, size, this.cacheKey);
  };

  Composer.prototype.previewUrlFor = function (item, edit, size, cacheKey) {
    var params = new URLSearchParams();
    params.set("filter", edit.filter || "normal");
    if (edit.filter && edit.filter !== "normal") params.set("strength", String(edit.strength));
    var adjustments = nonZero(edit.adjustments);
    if (Object.keys(adjustments).length) params.set("adjustments", JSON.stringify(adjustments));
    params.set("size", String(size));
    // The answer depends on the item's current rendering too: a new one gets a new URL.
    var key = cacheKey === undefined ? renditionKey(item) : cacheKey;
    if (key) params.set("r", key);
    return this.api + "/" + item.id + "/preview?" + params.toString();
  };

  // Wait for a pause in the changes, but not forever: a long drag still shows progress.
  Composer.prototype.schedulePreview = function () {
    var self = this;
    clearTimeout(this.previewTimer);
    var idle = !this.previewRequest && Date.now() - this.previewStarted > PREVIEW_MAX_WAIT_MS;
    this.previewTimer = setTimeout(function () {
      self.loadPreview();
    }, idle ? 0 : DEBOUNCE_MS);
  };

  // Fetch the big preview (the whole photo with the edit; the cropper shows the crop of
  // it); a newer one cancels this one, and the picture on screen stays until the next one
  // is decoded, so dragging a slider never flickers.
  Composer.prototype.loadPreview = function () {
    var self = this;
    if (!this.item || this.step !== "edit") return;
    var url = this.previewUrl(this.edit, this.previewSize());
    if (this.previewRequest) {
      this.previewRequest.abort();
      this.previewDone(this.previewRequest);
    }
    if (url === this.shownPreview) return; // back where we were: nothing to fetch
    var controller = new AbortController();
    this.previewRequest = controller;
    this.previewStarted = Date.now();
    clearTimeout(this.spinnerTimer);
    this.spinnerTimer = setTimeout(function () {
      self.find("[data-spinner]").hidden = false;
    }, SPINNER_DELAY_MS);
    this.find("[data-frame]").setAttribute("aria-busy", "true");
    var image = this.find("[data-preview]");
    var entry = this.entry;
    fetch(url, { credentials: "same-origin", signal: controller.signal })
      .then(function (response) {
        if (response.ok) return response.blob();
        return response.text().then(function (text) {
          throw apiError(response.status, parseJson(text));
        });
      })
      .then(function (blob) {
        var objectUrl = URL.createObjectURL(blob);
        var next = new Image();
        next.src = objectUrl;
        return next.decode().then(function () {
          if (self.previewRequest !== controller || self.entry !== entry) {
            URL.revokeObjectURL(objectUrl);
            return;
          }
          var old = image.src;
          image.src = objectUrl;
          image.dataset.url = url;
          image.alt = self.describe();
          if (old && old.indexOf("blob:") === 0 && old !== entry.localUrl) URL.revokeObjectURL(old);
          self.shownPreview = url;
          self.previewDone(controller);
          self.refreshThumb();
        });
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        if (self.previewRequest !== controller) return;
        self.previewDone(controller);
        self.trayProblem((error && error.message) || "The preview could not be loaded.");
      });
  };

  Composer.prototype.previewDone = function (controller) {
    if (this.previewRequest !== controller) return;
    this.previewRequest = null;
    clearTimeout(this.spinnerTimer);
    this.find("[data-spinner]").hidden = true;
    this.find("[data-frame]").removeAttribute("aria-busy");
  };

  Composer.prototype.describe = function () {
    var button = this.find('[data-filter="' + this.edit.filter + '"]');
    var filtered = button && this.edit.filter !== "normal";
    var look = filtered ? " with the " + button.dataset.label + " filter" : "";
    return "Preview of your " + (this.item.kind === "video" ? "video's cover" : "photo") + look;
  };

  // --- Saving the edits -------------------------------------------------------------------

  // The PATCH body of an entry's edit and crop.
  Composer.prototype.payloadOf = function (entry) {
    if (entry === this.entry) this.stash();
    var edit = entry.edit || { filter: "normal", strength: 100, adjustments: {} };
    var item = entry.media;
    var body = {
      filter: edit.filter,
      filter_strength: edit.strength,
      adjustments: nonZero(edit.adjustments),
    };
    if (item.kind === "photo" && entry.crop) {
      var saved = cropOf(item);
      var crop = entry.crop;
      if (!item.crop || saved.aspect !== crop.aspect || !sameCrop(saved, crop)) {
        body.crop = {
          aspect: crop.aspect,
          x: crop.x,
          y: crop.y,
          width: crop.width,
          height: crop.height,
          rotation: crop.rotation,
        };
      }
    }
    return body;
  };

  // Save an entry's edit and wait for its new rendering; resolve with the item.
  Composer.prototype.saveEntry = function (entry) {
    var self = this;
    if (entry.saving) return entry.saving;
    var generation = this.generation;
    entry.dirty = false;
    if (entry === this.entry) this.dirty = false;
    entry.status = "processing";
    this.renderTile(entry);
    var request = api("PATCH", this.api + "/" + entry.media.id, this.csrf, this.payloadOf(entry))
      .then(function (item) {
        entry.media = item;
        if (item.status === "ready") return item;
        return new Promise(function (resolve, reject) {
          var attempt = 0;
          function poll() {
            var delay = POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)];
            attempt += 1;
            setTimeout(function () {
              if (entry.removed || generation !== self.generation) return;
              api("GET", self.api + "/" + item.id, self.csrf).then(function (current) {
                if (current.status === "ready") resolve(current);
                else if (current.status === "failed") {
                  reject({ message: current.failure_reason, fields: [] });
                } else poll();
              }, reject);
            }, delay);
          }
          poll();
        });
      })
      .then(
        function (item) {
          entry.saving = null;
          entry.media = item;
          entry.status = "ready";
          if (entry === self.entry) self.item = item;
          self.renderTile(entry);
          self.repaint(entry);
          return item;
        },
        function (error) {
          entry.saving = null;
          entry.dirty = true;
          entry.status = "ready";
          if (entry === self.entry) self.dirty = true;
          self.renderTile(entry);
          throw error;
        }
      );
    entry.saving = request;
    return request;
  };

  // Save every changed entry, one after the other; resolve when all are rendered.
  Composer.prototype.saveDirty = function () {
    var self = this;
    var dirty = this.live().filter(function (entry) {
      return entry.dirty && entry.status === "ready" && entry.media;
    });
    return dirty.reduce(function (done, entry) {
      return done.then(function () {
        return self.saveEntry(entry);
      });
    }, Promise.resolve());
  };

  // --- The tray: the post's items in order ------------------------------------------------

  Composer.prototype.label = function (entry) {
    var position = this.live().indexOf(entry) + 1;
    return (entry.kind === "video" ? "Video " : "Photo ") + position;
  };

  Composer.prototype.bindTray = function () {
    var self = this;
    var list = this.find("[data-tray-list]");
    list.addEventListener("click", function (event) {
      var control = event.target.closest("button");
      if (!control) return;
      var entry = self.entryOf(control);
      if (!entry) return;
      if (control.dataset.move) self.move(entry, parseInt(control.dataset.move, 10));
      else if (control.hasAttribute("data-remove")) self.remove(entry);
      else if (control.hasAttribute("data-pick")) self.select(entry);
    });
    // Drag to reorder (a mouse or pen); the arrow buttons do the same from the keyboard.
    list.addEventListener("dragstart", function (event) {
      var tile = event.target.closest("[data-key]");
      if (!tile) return;
      self.dragging = tile.dataset.key;
      tile.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", tile.dataset.key);
    });
    list.addEventListener("dragover", function (event) {
      if (!self.dragging) return;
      var tile = event.target.closest("[data-key]");
      event.preventDefault();
      self.findAll(".tray__item.is-target").forEach(function (node) {
        node.classList.remove("is-target");
      });
      if (tile && tile.dataset.key !== self.dragging) tile.classList.add("is-target");
    });
    list.addEventListener("drop", function (event) {
      if (!self.dragging) return;
      event.preventDefault();
      event.stopPropagation();
      var tile = event.target.closest("[data-key]");
      var moving = self.byKey(self.dragging);
      self.dragging = null;
      if (!tile || !moving) return self.renderTray();
      var live = self.live();
      var to = live.indexOf(self.byKey(tile.dataset.key));
      self.move(moving, to - live.indexOf(moving));
    });
    list.addEventListener("dragend", function () {
      self.dragging = null;
      self.renderTray();
    });
  };

  Composer.prototype.byKey = function (key) {
    for (var i = 0; i < this.entries.length; i += 1) {
      if (this.entries[i].key === key) return this.entries[i];
    }
    return null;
  };

  Composer.prototype.entryOf = function (node) {
    var tile = node.closest("[data-key]");
    return tile ? this.byKey(tile.dataset.key) : null;
  };

  Composer.prototype.move = function (entry, by) {
    var live = this.live();
    var from = live.indexOf(entry);
    var to = Math.max(0, Math.min(live.length - 1, from + by));
    if (from < 0 || to === from) return;
    live.splice(from, 1);
    live.splice(to, 0, entry);
    this.entries = live.concat(this.entries.filter(function (e) { return e.removed; }));
    this.renderTray();
    this.announce(this.label(entry) + " is now number " + (to + 1) + " of " + live.length + ".");
    // Keep the keyboard where it was: on the same arrow, or the other one at an end.
    var tile = this.find('[data-key="' + entry.key + '"]');
    var arrow = tile && tile.querySelector('[data-move="' + by + '"]');
    if (arrow && arrow.disabled) arrow = tile.querySelector('[data-move="' + -by + '"]');
    if (arrow && arrow.offsetParent !== null) arrow.focus();
  };

  Composer.prototype.remove = function (entry) {
    var live = this.live();
    var index = live.indexOf(entry);
    entry.removed = true;
    if (entry.xhr) entry.xhr.abort();
    if (entry.localUrl) URL.revokeObjectURL(entry.localUrl);
    this.entries = this.entries.filter(function (e) { return e !== entry; });
    if (!this.entries.some(function (e) { return e.status === "failed"; })) this.trayProblem("");
    this.pump();
    var rest = this.live();
    this.announce(this.label(entry).replace(/ \d+$/, "") + " removed from the post.");
    if (!rest.length) {
      this.restart();
      this.showStep("select");
      this.find("#composer-file").focus();
      return;
    }
    if (entry === this.entry) {
      this.entry = null;
      this.item = null;
      var next = rest[Math.min(index, rest.length - 1)];
      var ready = next.status === "ready" ? next : rest.filter(function (e) { return e.status === "ready"; })[0];
      if (ready) this.open(ready);
      else {
        this.showStep("select");
        this.showProgress(rest.length + " files", 1, "Processing…", true);
      }
    }
    this.renderTray();
    var focusTile = this.find('[data-key="' + (rest[Math.min(index, rest.length - 1)] || {}).key + '"] [data-pick]');
    if (focusTile) focusTile.focus();
  };

  Composer.prototype.trayProblem = function (message, fields) {
    var box = this.find("[data-tray-error]");
    if (!message) {
      box.hidden = true;
      return;
    }
    showProblem(box, { message: message, fields: fields || [] }, message);
  };

  Composer.prototype.announce = function (text) {
    var status = this.find("[data-tray-status]");
    status.textContent = "";
    // A new text node is read even when the same words come twice.
    setTimeout(function () {
      status.textContent = text;
    }, 30);
  };

  // Draw an entry's picture into a square ``img`` (inside a box that clips it): its edit
  // and crop as chosen here until its item is rendered so, else the item's own thumbnail,
  // else the picked file.
  Composer.prototype.paintSquare = function (img, entry) {
    var item = entry.media;
    img.dataset.entry = entry.key;
    var side = img.parentNode ? img.parentNode.clientWidth : 0;
    // Once rendered, an item has the whole picture to preview any edit and crop from.
    var rendered = item && item.id && (entry.status === "ready" || entry.saving);
    var pending = rendered && (item.status !== "ready" || differs(entry));
    if (pending && item.kind === "photo" && side) {
      img.src = this.previewUrlFor(item, entry.edit || item.edit || {}, 320);
      img.classList.add("is-placed");
      window.GlimpseCropper.place(img, side, item, squareOf(entry.crop || cropOf(item), item));
      return;
    }
    img.classList.remove("is-placed");
    img.removeAttribute("style");
    var src = pending && item.kind === "video" ? this.previewUrlFor(item, entry.edit || {}, 320) : thumbOf(entry);
    if (src && img.getAttribute("src") !== src) img.src = src;
  };

  // Draw every picture of an entry again (its tile, its rows in the share step).
  Composer.prototype.repaint = function (entry) {
    this.findAll('img[data-entry="' + entry.key + '"]').forEach(function (img) {
      this.paintSquare(img, entry);
    }, this);
  };

  // The active tile follows the editor once a preview of the new look is on screen.
  Composer.prototype.refreshThumb = function () {
    var entry = this.entry;
    if (!entry || this.step !== "edit") return;
    this.stash();
    this.repaint(entry);
  };

  // Tell whether an entry's edit or crop is not (yet) what its item was rendered with.
  function differs(entry) {
    var item = entry.media;
    var edit = entry.edit;
    if (edit) {
      var saved = item.edit || {};
      if ((edit.filter || "normal") !== (saved.filter || "normal")) return true;
      if ((edit.filter || "normal") !== "normal" && edit.strength !== (saved.strength === undefined ? 100 : saved.strength)) return true;
      var mine = nonZero(edit.adjustments);
      var theirs = nonZero(saved.adjustments);
      var names = Object.keys(mine).concat(Object.keys(theirs));
      if (names.some(function (name) { return mine[name] !== theirs[name]; })) return true;
    }
    if (item.kind === "photo" && entry.crop) {
      var crop = cropOf(item);
      return crop.aspect !== entry.crop.aspect || !sameCrop(crop, entry.crop);
    }
    return false;
  }

  function thumbOf(entry) {
    var item = entry.media;
    if (item && item.status === "ready" && item.renditions) {
      var prefix = item.kind === "video" ? "poster-" : "";
      var wanted = [prefix + "thumb", prefix + "320"];
      for (var i = 0; i < wanted.length; i += 1) {
        for (var j = 0; j < item.renditions.length; j += 1) {
          var r = item.renditions[j];
          // The URL is signed as it is (its path already names the version): never add to it.
          if (r.name === wanted[i] && r.format === "jpeg") return r.url;
        }
      }
    }
    return entry.localUrl || "";
  }

  var STATE_TEXT = {
    queued: "Waiting…",
    uploading: "Uploading…",
    processing: "Processing…",
    ready: "Ready",
    failed: "Failed",
  };

  Composer.prototype.renderTray = function () {
    if (this.entry && this.step === "edit") this.stash(); // tiles show the edit on screen
    var list = this.find("[data-tray-list]");
    var live = this.live();
    var focused = document.activeElement;
    var focusKey = focused && list.contains(focused) ? this.entryOf(focused) : null;
    var focusRole = focusKey
      ? focused.dataset.move ? "move" + focused.dataset.move : focused.hasAttribute("data-remove") ? "remove" : "pick"
      : "";
    list.textContent = "";
    live.forEach(function (entry) {
      list.appendChild(this.tile(entry, live));
    }, this);
    if (live.length < this.itemsMax) list.appendChild(this.addTile());
    this.paintTiles(list);
    this.countItems();
    this.syncReel();
    if (focusKey) {
      var selector = focusRole === "pick" ? "[data-pick]" : focusRole === "remove" ? "[data-remove]" : '[data-move="' + focusRole.slice(4) + '"]';
      var again = this.find('[data-key="' + focusKey.key + '"] ' + selector);
      if (again && !again.disabled) again.focus();
    }
  };

  Composer.prototype.paintTiles = function (list) {
    Array.prototype.forEach.call(list.querySelectorAll("[data-key]"), function (tile) {
      var entry = this.byKey(tile.dataset.key);
      var img = tile.querySelector(".tray__img");
      if (entry && img) this.paintSquare(img, entry);
    }, this);
  };

  // "Share as Reel" is offered when the post is one video.
  Composer.prototype.syncReel = function () {
    var field = this.find("[data-reel-field]");
    var live = this.live();
    if (field) field.hidden = !(live.length === 1 && live[0].kind === "video");
  };

  Composer.prototype.countItems = function () {
    var live = this.live();
    var failed = live.filter(function (e) { return e.status === "failed"; }).length;
    var waiting = live.filter(function (e) { return e.status !== "ready"; }).length - failed;
    var notes = [];
    if (waiting) notes.push(waiting + " not ready");
    if (failed) notes.push(failed + " failed");
    var count = live.length === 1 ? "1 item" : live.length + " items";
    var hint = live.length > 1 ? ". Drag or use the arrows to reorder." : ". Add more to make a carousel.";
    this.find("[data-tray-count]").textContent =
      count + (notes.length ? " (" + notes.join(", ") + ")" : "") + hint;
  };

  // Redraw one entry's tile in place (progress, state), keeping the rest as it is.
  Composer.prototype.renderTile = function (entry) {
    var old = this.find('[data-key="' + entry.key + '"]');
    if (!old) return;
    var focused = old.contains(document.activeElement) ? document.activeElement : null;
    var role = focused ? (focused.dataset.move ? '[data-move="' + focused.dataset.move + '"]' : focused.hasAttribute("data-remove") ? "[data-remove]" : "[data-pick]") : "";
    var tile = this.tile(entry, this.live());
    old.replaceWith(tile);
    var img = tile.querySelector(".tray__img");
    if (img) this.paintSquare(img, entry);
    this.countItems();
    if (role) {
      var again = tile.querySelector(role);
      if (again) again.focus();
    }
  };

  function iconButton(label, path, data) {
    var button = element("button", "tray__tool");
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.title = label;
    Object.keys(data).forEach(function (key) {
      button.setAttribute(key, data[key]);
    });
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "icon icon--xs");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.innerHTML =
      '<path d="' + path + '" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>';
    button.appendChild(svg);
    return button;
  }

  Composer.prototype.tile = function (entry, live) {
    var position = live.indexOf(entry);
    var label = this.label(entry);
    var item = element("li", "tray__item is-" + entry.status);
    item.dataset.key = entry.key;
    if (entry === this.entry) item.classList.add("is-active");
    item.draggable = live.length > 1;
    var pick = element("button", "tray__pick");
    pick.type = "button";
    pick.setAttribute("data-pick", "");
    var state = entry.status === "uploading" && entry.progressLabel ? entry.progressLabel : STATE_TEXT[entry.status];
    pick.setAttribute(
      "aria-label",
      label + ": " + state + (entry === this.entry ? ", selected" : entry.status === "ready" ? ". Select to edit" : "")
    );
    pick.setAttribute("aria-pressed", String(entry === this.entry));
    if (thumbOf(entry) || entry.media) {
      var img = element("img", "tray__img");
      img.alt = "";
      img.draggable = false;
      pick.appendChild(img);
    } else {
      pick.appendChild(element("span", "tray__blank", entry.kind === "video" ? "▶" : ""));
    }
    pick.appendChild(element("span", "tray__num", String(position + 1)));
    if (entry.kind === "video") pick.appendChild(element("span", "tray__kind", "Video"));
    if (entry.status !== "ready") {
      var badge = element("span", "tray__state");
      if (entry.status === "failed") badge.textContent = "!";
      else {
        badge.appendChild(element("span", "tray__spinner"));
        if (entry.status === "uploading") {
          badge.appendChild(element("span", "tray__percent", Math.round((entry.progress || 0) * 100) + "%"));
        }
      }
      pick.appendChild(badge);
    }
    pick.title = (entry.name ? entry.name + " · " : "") + state;
    item.appendChild(pick);
    var tools = element("div", "tray__tools");
    var earlier = iconButton("Move " + label.toLowerCase() + " earlier", "m15 18-6-6 6-6", { "data-move": "-1" });
    var later = iconButton("Move " + label.toLowerCase() + " later", "m9 18 6-6-6-6", { "data-move": "1" });
    earlier.disabled = position === 0;
    later.disabled = position === live.length - 1;
    if (live.length > 1) {
      tools.appendChild(earlier);
      tools.appendChild(later);
    }
    tools.appendChild(iconButton("Remove " + label.toLowerCase() + " from the post", "M18 6 6 18M6 6l12 12", { "data-remove": "" }));
    item.appendChild(tools);
    return item;
  };

  Composer.prototype.addTile = function () {
    var self = this;
    var item = element("li", "tray__item tray__item--add");
    var input = element("input", "tray__input");
    input.type = "file";
    input.id = "composer-more";
    input.accept = "image/*,video/*";
    input.multiple = true;
    input.addEventListener("change", function () {
      if (input.files && input.files.length) self.addFiles(input.files);
    });
    var label = element("label", "tray__add");
    label.htmlFor = "composer-more";
    label.title = "Add photos or videos";
    label.innerHTML =
      '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 5v14M5 12h14" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>';
    var text = element("span", "tray__add-text", "Add");
    text.appendChild(element("span", "sr-only", " photos or videos"));
    label.appendChild(text);
    item.appendChild(input);
    item.appendChild(label);
    return item;
  };

  // --- Step 3: caption, place, people, alt text, share ------------------------------------

  // The picture beside the caption: the item with its edit, in its crop's shape.
  Composer.prototype.showDetailsPreview = function (entry) {
    var image = this.find("[data-details-img]");
    var frame = this.find("[data-details-frame]");
    var item = entry.media;
    if (!item || entry.status === "failed") return;
    var edit = entry.edit || item.edit || {};
    var look = {
      filter: edit.filter || "normal",
      strength: typeof edit.strength === "number" ? edit.strength : 100,
      adjustments: edit.adjustments || {},
    };
    var crop = entry.crop || cropOf(item);
    var size = turnedSize(item, crop.rotation);
    var ratio = (size.width * crop.width) / (size.height * crop.height) || 1;
    frame.style.setProperty("--ratio", String(ratio));
    var sharp = frame.clientWidth * (window.devicePixelRatio || 1) > 540 ? 1080 : 540;
    image.src = this.previewUrlFor(item, look, sharp);
    image.alt = entry.alt || item.alt_text || "Preview of " + this.label(entry).toLowerCase();
    var width = frame.clientWidth;
    if (width) window.GlimpseCropper.place(image, width, item, crop);
    var count = this.live().length;
    this.find("[data-details-which]").textContent =
      count > 1 ? this.label(entry) + " of " + count : item.kind === "video" ? "Its cover" : "";
  };

  // One row per item for its people and one for its alt text, each with its picture.
  Composer.prototype.renderShareFields = function () {
    var tags = this.find("[data-tag-fields]");
    var alts = this.find("[data-alt-fields]");
    var live = this.live();
    tags.textContent = "";
    alts.textContent = "";
    live.forEach(function (entry) {
      var name = this.label(entry).toLowerCase();
      tags.appendChild(
        this.shareRow(entry, "tags-" + entry.key, "People in " + name, function (input) {
          input.type = "text";
          input.placeholder = "@username";
          input.value = entry.tags || "";
          input.setAttribute("data-autocomplete", "");
          input.spellcheck = false;
          input.setAttribute("autocapitalize", "none");
          input.addEventListener("input", function () {
            entry.tags = input.value;
          });
        })
      );
      alts.appendChild(
        this.shareRow(entry, "alt-" + entry.key, "Alt text for " + name, function (input) {
          input.type = "text";
          input.maxLength = this.altMax;
          input.placeholder = entry.kind === "video" ? "Describe this video" : "Describe this photo";
          input.value = entry.alt !== null ? entry.alt : (entry.media && entry.media.alt_text) || "";
          input.addEventListener("input", function () {
            entry.alt = input.value;
          });
        }.bind(this))
      );
    }, this);
  };

  Composer.prototype.shareRow = function (entry, id, labelText, setup) {
    var row = element("li", "share__item");
    var box = element("span", "share__thumb");
    var img = element("img", "share__thumb-img");
    img.alt = "";
    box.appendChild(img);
    row.appendChild(box);
    var label = element("label", "sr-only", labelText);
    label.htmlFor = id;
    var input = element("input", "share__input");
    input.id = id;
    input.autocomplete = "off";
    setup(input);
    row.appendChild(label);
    row.appendChild(input);
    var self = this;
    requestAnimationFrame(function () {
      self.paintSquare(img, entry);
    });
    return row;
  };

  // Keep the share step's fields when going back to editing.
  Composer.prototype.stashShare = function () {
    this.live().forEach(function (entry) {
      var tags = this.find("#tags-" + entry.key);
      var alt = this.find("#alt-" + entry.key);
      if (tags) entry.tags = tags.value;
      if (alt) entry.alt = alt.value;
    }, this);
  };

  function peopleTags(text) {
    var names = [];
    (text || "").split(/[\s,]+/).forEach(function (word) {
      var name = word.replace(/^@+/, "").toLowerCase();
      if (name && names.indexOf(name) < 0) names.push(name);
    });
    // Spread along the middle of the picture, alternating up and down so labels don't touch.
    return names.map(function (name, i) {
      return {
        username: name,
        x: Math.round(((i + 1) / (names.length + 1)) * 1000) / 1000,
        y: i % 2 ? 0.62 : 0.42,
      };
    });
  }

  Composer.prototype.bindDetails = function () {
    var self = this;
    this.find("[data-share-form]").addEventListener("submit", function (event) {
      event.preventDefault();
      self.share();
    });
    ["[data-save-draft]", "[data-save-draft-bottom]"].forEach(function (selector) {
      self.find(selector).addEventListener("click", function () {
        self.submit("draft");
      });
    });
    this.find("[data-schedule-post]").addEventListener("click", function () {
      self.submit("schedule");
    });
    this.find("[data-publish-zone]").textContent = timeZone();
    // Location: search as you type among the places already used; pick one, or keep typing
    // a new name (it is created when the post is shared).
    var name = this.find("[data-place-name]");
    var address = this.find("[data-place-address]");
    var options = this.find("[data-place-options]");
    var timer = 0;
    var request = null;
    var found = [];
    var active = -1;
    function close() {
      options.hidden = true;
      name.setAttribute("aria-expanded", "false");
      name.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var nodes = options.querySelectorAll("[role=option]");
      active = index;
      Array.prototype.forEach.call(nodes, function (node, i) {
        node.setAttribute("aria-selected", String(i === index));
        if (i === index) {
          name.setAttribute("aria-activedescendant", node.id);
          node.scrollIntoView({ block: "nearest" });
        }
      });
    }
    function choose(place) {
      self.placeId = place.id;
      name.value = place.name;
      address.value = place.address || "";
      self.find("[data-place-note]").textContent = place.post_count
        ? place.post_count + " post" + (place.post_count === 1 ? "" : "s") + " here so far."
        : "A place used before.";
      close();
    }
    function search() {
      var query = name.value.trim();
      if (request) request.abort();
      if (query.length < 1) {
        close();
        return;
      }
      request = new AbortController();
      var url = self.root.dataset.placesApi + "?limit=6&q=" + encodeURIComponent(query);
      api("GET", url, self.csrf, undefined, request.signal).then(function (answer) {
        found = answer.items || [];
        options.textContent = "";
        found.forEach(function (place, i) {
          var option = element("li", "combo__option");
          option.id = "place-option-" + i;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.appendChild(element("span", "combo__name", place.name));
          var more = [place.address, place.post_count ? place.post_count + " post" + (place.post_count === 1 ? "" : "s") : ""]
            .filter(Boolean)
            .join(" · ");
          if (more) option.appendChild(element("span", "combo__meta", more));
          option.addEventListener("mousedown", function (event) {
            event.preventDefault(); // keep the focus in the field
            choose(place);
          });
          options.appendChild(option);
        });
        var open = found.length > 0 && document.activeElement === name;
        options.hidden = !open;
        name.setAttribute("aria-expanded", String(open));
        active = -1;
      }, function () {});
    }
    name.addEventListener("input", function () {
      self.placeId = "";
      self.find("[data-place-note]").textContent = name.value.trim()
        ? "A new place, unless you pick one below."
        : "Type to find a place others used, or name a new one.";
      clearTimeout(timer);
      timer = setTimeout(search, 180);
    });
    address.addEventListener("input", function () {
      self.placeId = "";
    });
    name.addEventListener("keydown", function (event) {
      if (options.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(found.length - 1, active + 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(0, active - 1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(found[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    name.addEventListener("blur", close);
  };

  // Wait until no entry is uploading or processing (an edit being applied included).
  Composer.prototype.settled = function () {
    var pending = this.live().filter(function (entry) {
      return entry.status !== "ready" && entry.status !== "failed";
    });
    var waits = pending.map(function (entry) {
      if (entry.saving) return entry.saving.catch(function () {});
      return new Promise(function (resolve) {
        entry.waiters = (entry.waiters || []).concat([resolve]);
      });
    });
    return Promise.all(waits);
  };

  Composer.prototype.share = function () {
    this.submit("share");
  };

  // Share now, save as a draft, or schedule: the edits are saved first, then the post.
  Composer.prototype.submit = function (mode) {
    var self = this;
    if (this.sharing) return;
    var words = SUBMIT_WORDS[mode];
    var button = this.find(mode === "share" ? "[data-share]" : mode === "draft" ? "[data-save-draft-bottom]" : "[data-schedule-post]");
    var status = this.find("[data-share-status]");
    var problem = this.find("[data-share-error]");
    // Saved from the editor: the share step shows how it goes (and keeps the editor's state).
    if (this.step === "edit" && this.entry) this.toShare();
    problem.hidden = true;
    if (this.step === "share") this.stashShare();
    var publishAt = "";
    if (mode === "schedule") {
      publishAt = this.publishAt();
      if (!publishAt) {
        showProblem(problem, { message: "Pick the date and time to share it at.", fields: [] });
        this.find("[data-publish-at]").focus();
        return;
      }
    }
    var live = this.live();
    var broken = live.filter(function (entry) { return entry.status === "failed"; });
    if (broken.length) {
      if (this.step !== "share") this.toShare();
      showProblem(this.find("[data-share-error]"), {
        message: "Remove the items that could not be uploaded before " + words.before + ".",
        fields: broken.map(function (entry) {
          return self.label(entry) + (entry.name ? " (" + entry.name + ")" : "") + ": " + ((entry.error && entry.error.message) || "failed");
        }),
      });
      return;
    }
    this.sharing = true;
    var label = button.textContent;
    this.setBusy(true);
    button.textContent = words.busy;
    var waiting = live.filter(function (entry) { return entry.status !== "ready" || entry.dirty; }).length;
    status.textContent = waiting
      ? "Applying your edits and waiting for " + (waiting === 1 ? "1 item" : waiting + " items") + "…"
      : words.busy;
    // Edits not saved yet are saved first: the post shows what the editor showed.
    this.picturesLoaded()
      .then(function () {
        return self.settled();
      })
      .then(function () {
        return self.saveDirty();
      })
      .then(function () {
        return self.settled();
      })
      .then(function () {
        var failed = self.live().filter(function (entry) { return entry.status === "failed"; });
        if (failed.length) {
          throw { message: "Some items could not be processed. Remove them and try again.", fields: [] };
        }
        status.textContent = words.busy;
        return self.send(mode, publishAt);
      })
      .then(function (answer) {
        self.leaving = true;
        status.textContent = words.done;
        var root = self.root.dataset;
        if (mode === "share") window.location.assign(root.postUrl.replace(/\/0\/$/, "/" + answer.id + "/"));
        else window.location.assign(mode === "schedule" ? root.scheduledUrl : root.draftsUrl);
      })
      .catch(function (error) {
        status.textContent = "";
        if (self.step !== "share") self.toShare();
        showProblem(self.find("[data-share-error]"), self.readable(error), words.failed);
        self.sharing = false;
        self.setBusy(false);
        button.textContent = label;
      });
  };

  var SUBMIT_WORDS = {
    share: { busy: "Sharing…", done: "Shared!", before: "sharing", failed: "The post could not be shared." },
    draft: { busy: "Saving…", done: "Saved to your drafts.", before: "saving", failed: "The draft could not be saved." },
    schedule: { busy: "Scheduling…", done: "Scheduled!", before: "scheduling", failed: "The post could not be scheduled." },
  };

  Composer.prototype.setBusy = function (busy) {
    ["[data-share]", "[data-save-draft]", "[data-save-draft-bottom]", "[data-schedule-post]"].forEach(function (selector) {
      this.find(selector).disabled = busy;
    }, this);
  };

  // The picked time, read in this browser's time zone, as UTC with its offset; or "".
  Composer.prototype.publishAt = function () {
    var value = this.find("[data-publish-at]").value;
    var when = value ? new Date(value) : null;
    return when && !isNaN(when.getTime()) ? when.toISOString() : "";
  };

  // Send the post: published now, kept as a draft, or scheduled; a draft being edited is
  // saved first, then published (or kept, or scheduled).
  Composer.prototype.send = function (mode, publishAt) {
    var self = this;
    var body = this.postBody();
    var drafts = this.root.dataset.draftsApi.replace(/\/$/, "");
    if (mode === "share" && !this.draftId) {
      return api("POST", this.root.dataset.postsApi, this.csrf, body);
    }
    body.time_zone = timeZone();
    if (!body.place && !body.place_id) body.place = null;
    if (mode === "schedule") body.publish_at = publishAt;
    if (!this.draftId) {
      return api("POST", mode === "schedule" ? this.root.dataset.postsApi : drafts, this.csrf, body);
    }
    var url = drafts + "/" + this.draftId;
    return api("PATCH", url, this.csrf, body).then(function (draft) {
      return mode === "share" ? api("POST", url + "/publish", self.csrf, {}) : draft;
    });
  };

  // Under the picker, the latest drafts: each opens in the composer to go on with it.
  Composer.prototype.listDrafts = function () {
    var self = this;
    var box = this.find("[data-drafts-list]");
    var url = this.root.dataset.draftsApi.replace(/\/$/, "") + "?limit=" + DRAFTS_SHOWN;
    api("GET", url, this.csrf).then(function (page) {
      var list = self.find("[data-drafts-items]");
      list.textContent = "";
      page.items.forEach(function (draft) {
        var link = element("a", "picker__draft");
        link.href = window.location.pathname + "?draft=" + encodeURIComponent(draft.id);
        var first = draft.items[0];
        var picture = first && smallest(first.media.renditions || []);
        var thumb = element("span", "picker__draft-thumb");
        if (picture) {
          var img = element("img");
          img.src = picture.url;
          img.alt = "";
          img.loading = "lazy";
          thumb.appendChild(img);
        }
        link.appendChild(thumb);
        var count = draft.items.length;
        link.appendChild(element("span", "picker__draft-text", draft.caption || (count === 1 ? "1 item" : count + " items")));
        var item = element("li");
        item.appendChild(link);
        list.appendChild(item);
      });
      box.hidden = !page.items.length;
    }, function () {});
  };

  var DRAFTS_SHOWN = 6;

  // The smallest picture of a media item's renditions (a video's poster), or null.
  function smallest(renditions) {
    var pictures = renditions.filter(function (r) { return r.format !== "mp4"; });
    pictures.sort(function (a, b) { return a.width - b.width; });
    return pictures[0] || null;
  }

  // Open a draft or a scheduled post saved on any device: its items (each as its media item
  // was edited), caption, place, people, alt texts, settings and time.
  Composer.prototype.resume = function (draftId) {
    var self = this;
    var url = this.root.dataset.draftsApi.replace(/\/$/, "") + "/" + draftId;
    this.showProgress("", 1, "Opening your draft…", true);
    api("GET", url, this.csrf).then(function (draft) {
      self.draftId = draft.id;
      self.find("[data-progress]").hidden = true;
      self.find("[data-idle]").hidden = false;
      self.showStep(self.step);
      var caption = self.find("[data-caption]");
      caption.value = draft.caption;
      caption.dispatchEvent(new Event("input"));
      if (draft.place) {
        self.draftPlace = draft.place;
        self.find("[data-place-name]").value = draft.place.name;
        self.find("[data-place-address]").value = draft.place.address || "";
      }
      self.find("[data-hide-likes]").checked = draft.hide_like_count;
      self.find("[data-comments-off]").checked = !draft.comments_enabled;
      self.find("[data-as-reel]").checked = draft.kind === "reel";
      if (draft.publish_at) {
        var at = new Date(draft.publish_at);
        var local = new Date(at.getTime() - at.getTimezoneOffset() * 60000);
        self.find("[data-publish-at]").value = local.toISOString().slice(0, 16);
        self.find("[data-schedule]").open = true;
      }
      draft.items.forEach(function (item) {
        var entry = self.newEntry({
          kind: item.media.kind,
          status: "processing",
          alt: item.alt_text,
          tags: item.people_tags.map(function (tag) { return "@" + tag.username; }).join(" "),
        });
        self.watch(entry, item.media);
      });
      self.renderTray();
    }, function (error) {
      self.showError(error.status === 404 ? { message: "This draft is gone: it was published or deleted.", fields: [] } : error);
    });
  };

  // Let the share step's pictures finish loading first (a few seconds at most): the edits
  // and the post are written with no preview still being read beside them.
  Composer.prototype.picturesLoaded = function () {
    var loading = this.findAll("img").filter(function (img) {
      return img.getAttribute("src") && !img.complete;
    });
    var waits = loading.map(function (img) {
      return new Promise(function (resolve) {
        img.addEventListener("load", resolve, { once: true });
        img.addEventListener("error", resolve, { once: true });
      });
    });
    var most = new Promise(function (resolve) {
      setTimeout(resolve, 3000);
    });
    return Promise.race([Promise.all(waits), most]);
  };

  Composer.prototype.postBody = function () {
    var live = this.live();
    var body = {
      media_ids: live.map(function (entry) { return entry.media.id; }),
      caption: this.find("[data-caption]").value,
      items: live.map(function (entry) {
        return {
          alt_text: entry.alt !== null ? entry.alt : entry.media.alt_text || "",
          people_tags: peopleTags(entry.tags),
        };
      }),
      hide_like_count: this.find("[data-hide-likes]").checked,
      comments_enabled: !this.find("[data-comments-off]").checked,
    };
    var reel = this.find("[data-reel-field]");
    if (reel && !reel.hidden && this.find("[data-as-reel]").checked) body.kind = "reel";
    var place = this.find("[data-place-name]").value.trim();
    var address = this.find("[data-place-address]").value.trim();
    var saved = this.draftPlace;
    if (this.placeId) body.place_id = this.placeId;
    else if (saved && place === saved.name && address === (saved.address || "")) {
      body.place = { name: saved.name, address: saved.address || "", lat: saved.lat, lng: saved.lng };
    } else if (place) body.place = { name: place, address: address };
    return body;
  };

  // Name the fields of an API error the way the page does: "Photo 2, tag 1: ...".
  Composer.prototype.readable = function (error) {
    var self = this;
    var live = this.live();
    var raw = (error && error.rawFields) || {};
    var fields = [];
    Object.keys(raw).forEach(function (path) {
      var parts = path.split(".");
      var where = { caption: "Caption", place: "Location", place_id: "Location", media_ids: "Items" }[parts[0]] || "";
      if (parts[0] === "items" && live[parseInt(parts[1], 10)]) {
        where = self.label(live[parseInt(parts[1], 10)]);
        if (parts[2] === "people_tags") where += ", tag " + (parseInt(parts[3], 10) + 1);
        if (parts[2] === "alt_text") where += ", alt text";
      }
      [].concat(raw[path]).forEach(function (text) {
        fields.push(where ? where + ": " + text : text);
      });
    });
    return { message: error.message, fields: fields.length ? fields : error.fields };
  };

  // --- The uploads page -------------------------------------------------------------------

  function setupUploads(root) {
    var csrf = csrfOf(root);
    var status = root.querySelector("[data-uploads-status]");
    var problem = root.querySelector("[data-uploads-error]");
    root.querySelectorAll("[data-color]").forEach(function (tile) {
      tile.style.setProperty("--tile-color", tile.dataset.color);
    });
    watchProcessing(root, csrf);
    root.dataset.ready = "true";
    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-delete]");
      if (!button) return;
      if (!window.confirm("Delete this upload? This cannot be undone.")) return;
      var tile = button.closest("[data-item]");
      button.disabled = true;
      problem.hidden = true;
      api("DELETE", base(root) + "/" + button.dataset.delete, csrf).then(function () {
        var grid = tile.parentNode;
        tile.remove();
        status.textContent = "The upload is deleted.";
        if (grid && !grid.children.length) {
          grid.remove();
          root.querySelector("[data-uploads-empty]").hidden = false;
        }
      }, function (error) {
        button.disabled = false;
        problem.textContent = error.message;
        problem.hidden = false;
      });
    });
  }

  // Items still processing when the page was made: look again until they are done.
  function watchProcessing(root, csrf) {
    var pending = Array.prototype.slice
      .call(root.querySelectorAll(".tile--processing[data-item]"))
      .map(function (tile) {
        return tile.dataset.item;
      });
    if (!pending.length) return;
    var started = Date.now();
    function check() {
      if (Date.now() - started > 10 * 60 * 1000) return;
      Promise.all(
        pending.map(function (id) {
          return api("GET", base(root) + "/" + id, csrf).then(
            function (item) {
              return item.status !== "processing";
            },
            function () {
              return true; // deleted meanwhile
            }
          );
        })
      ).then(function (done) {
        if (done.some(Boolean)) window.location.reload();
        else setTimeout(check, 3000);
      });
    }
    setTimeout(check, 2000);
  }

  function base(root) {
    return root.dataset.api.replace(/\/$/, "");
  }

  ready(function () {
    var root = document.querySelector("[data-composer]");
    var configNode = document.getElementById("composer-config");
    if (root && configNode) new Composer(root, JSON.parse(configNode.textContent));
    var uploads = document.querySelector("[data-uploads]");
    if (uploads) setupUploads(uploads);
  });
})();

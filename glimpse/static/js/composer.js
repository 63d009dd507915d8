// The composer (pick, upload, edit with live previews, save) and the uploads page's delete
// buttons. Plain JavaScript, no build step. Every change goes through the JSON API with the
// session's CSRF token; nothing here is inline in the page, so a strict CSP can forbid that.
(function () {
  "use strict";

  var DEBOUNCE_MS = 80;
  var PREVIEW_MAX_WAIT_MS = 250; // while a slider keeps moving, still refresh this often
  var POLL_DELAYS_MS = [400, 700, 1000, 1500, 2000, 3000];
  var SPINNER_DELAY_MS = 250;
  var ASPECTS = { "1:1": 1, "4:5": 0.8, "1.91:1": 1.91 };
  var MIN_RATIO = ASPECTS["4:5"];
  var MAX_RATIO = ASPECTS["1.91:1"];
  var FULL = { x: 0, y: 0, width: 1, height: 1 };
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
    return { status: status, code: error.code || "error", message: message, fields: fields };
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

  // --- Crops ------------------------------------------------------------------------------

  function round6(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  // The centred rectangle of ``ratio`` (width / height) in a width x height photo, in
  // fractions, as glimpse/media/crops.py checks it.
  function centred(ratio, width, height) {
    if (width / height > ratio) {
      var w = (height * ratio) / width;
      return { x: round6((1 - w) / 2), y: 0, width: round6(w), height: 1 };
    }
    var h = width / ratio / height;
    return { x: 0, y: round6((1 - h) / 2), width: 1, height: round6(h) };
  }

  // "Original" keeps the photo's shape within 4:5 and 1.91:1, like the server's default.
  function cropFor(aspect, width, height) {
    if (aspect !== "original") {
      var box = centred(ASPECTS[aspect], width, height);
      box.aspect = aspect;
      return box;
    }
    var ratio = width / height;
    if (ratio < MIN_RATIO) return cropFor("4:5", width, height);
    if (ratio > MAX_RATIO) return cropFor("1.91:1", width, height);
    return Object.assign({ aspect: "original" }, FULL);
  }

  function sameBox(a, b) {
    return ["x", "y", "width", "height"].every(function (key) {
      return Math.abs((a[key] || 0) - (b[key] || 0)) < 1e-4;
    });
  }

  // --- The composer -----------------------------------------------------------------------

  function Composer(root, config) {
    this.root = root;
    this.config = config;
    this.csrf = csrfOf(root);
    this.api = config.api.replace(/\/$/, "");
    this.item = null;
    this.edit = { filter: "normal", strength: 100, adjustments: {} };
    this.aspect = "original";
    this.generation = 0; // bumped by every new upload, to drop late answers of an old one
    this.previewTimer = null;
    this.previewRequest = null;
    this.previewStarted = 0;
    this.shownPreview = "";
    this.shownRegion = FULL;
    this.cacheKey = "";
    this.spinnerTimer = null;
    this.saving = false;
    this.dirty = false; // an edit not saved yet
    this.find = function (selector) {
      return root.querySelector(selector);
    };
    this.findAll = function (selector) {
      return Array.prototype.slice.call(root.querySelectorAll(selector));
    };
    this.bind();
    var input = this.find("#composer-file");
    if (config.mediaId) {
      this.reopen(config.mediaId);
    } else if (input.files && input.files.length) {
      // A file picked before this script ran would otherwise wait for a second pick.
      this.upload(input.files[0]);
    }
    root.dataset.ready = "true";
  }

  Composer.prototype.bind = function () {
    var self = this;
    var input = this.find("#composer-file");
    var drop = this.find("[data-drop]");
    input.addEventListener("change", function () {
      if (input.files && input.files.length) self.upload(input.files[0]);
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
    // A file dropped anywhere on the page is taken while the picker shows, and never
    // opened by the browser in place of the page.
    window.addEventListener("dragover", function (event) {
      event.preventDefault();
    });
    window.addEventListener("drop", function (event) {
      event.preventDefault();
      drop.classList.remove("is-over");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length && !self.find("[data-picker]").hidden) self.upload(files[0]);
    });
    this.find("[data-restart]").addEventListener("click", function () {
      self.restart();
      input.click();
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
    this.findAll("[data-aspect]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.aspect = button.dataset.aspect;
        self.layoutFrame();
        self.changed();
      });
    });
    this.findAll("[data-mode]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.showMode(button.dataset.mode);
      });
    });
    this.find("[data-alt]").addEventListener("input", function () {
      self.markDirty();
    });
    this.find("[data-form]").addEventListener("submit", function (event) {
      event.preventDefault();
      self.save();
    });
    // Leaving with an edit not saved asks first, as photo apps do.
    window.addEventListener("beforeunload", function (event) {
      if (self.item && self.dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        if (!self.item) return;
        self.stripEdges();
        self.schedulePreview();
      }, 200);
    });
  };

  // --- Step 1: upload and wait ------------------------------------------------------------

  Composer.prototype.upload = function (file) {
    var self = this;
    var generation = ++this.generation;
    this.hideError();
    var largest = Math.max(this.config.photoMaxBytes, this.config.videoMaxBytes);
    if (file.size > largest) {
      var megabytes = Math.floor(this.config.videoMaxBytes / (1024 * 1024));
      var message = "A video can be at most " + megabytes + " MB.";
      this.showError({ status: 413, message: message, fields: [] });
      return;
    }
    this.showProgress(file.name, 0, "Uploading… 0%");
    var body = new FormData();
    body.append("file", file, file.name);
    body.append("alt_text", this.find("[data-alt]").value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", this.api);
    xhr.setRequestHeader("X-CSRFToken", this.csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable || generation !== self.generation) return;
      var share = event.loaded / event.total;
      self.showProgress(file.name, share, "Uploading… " + Math.round(share * 100) + "%");
    });
    xhr.upload.addEventListener("load", function () {
      if (generation === self.generation) self.showProgress(file.name, 1, "Processing…", true);
    });
    xhr.addEventListener("load", function () {
      if (generation !== self.generation) return;
      var data = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && data && data.id) {
        self.whenProcessed(data, generation, function (item) {
          self.open(item);
        });
      } else {
        self.showError(apiError(xhr.status, data));
      }
    });
    xhr.addEventListener("error", function () {
      if (generation === self.generation) self.showError(NETWORK_ERROR);
    });
    xhr.send(body);
  };

  Composer.prototype.reopen = function (mediaId) {
    var self = this;
    var generation = ++this.generation;
    this.showProgress("", 1, "Opening your upload…", true);
    api("GET", this.api + "/" + mediaId, this.csrf).then(function (item) {
      self.whenProcessed(item, generation, function (done) {
        self.open(done);
      });
    }, function (error) {
      self.showError(error);
    });
  };

  // Poll the item until it is ready (then call ``done``) or failed (then show why).
  Composer.prototype.whenProcessed = function (item, generation, done) {
    var self = this;
    var attempt = 0;
    function check(current) {
      if (generation !== self.generation) return;
      if (current.status === "ready") {
        done(current);
      } else if (current.status === "failed") {
        var reason = current.failure_reason || "This file could not be processed.";
        self.showError({ message: reason, fields: [] });
      } else {
        var delay = POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)];
        attempt += 1;
        setTimeout(function () {
          if (generation !== self.generation) return;
          api("GET", self.api + "/" + current.id, self.csrf).then(check, function (error) {
            if (generation === self.generation) self.showError(error);
          });
        }, delay);
      }
    }
    check(item);
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
    this.find("[data-idle]").hidden = false;
    this.find("[data-progress]").hidden = true;
    this.find("[data-editor]").hidden = true;
    this.find("[data-picker]").hidden = false;
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
    this.hideError();
    this.find("[data-idle]").hidden = false;
    this.find("[data-progress]").hidden = true;
  };

  // --- Step 2: edit -----------------------------------------------------------------------

  Composer.prototype.open = function (item) {
    var edit = item.edit || {};
    this.edit = {
      filter: edit.filter || "normal",
      strength: typeof edit.strength === "number" ? edit.strength : 100,
      adjustments: Object.assign({}, edit.adjustments || {}),
    };
    this.aspect = (item.crop && item.crop.aspect) || "original";
    var alt = this.find("[data-alt]");
    alt.value = item.alt_text || "";
    alt.dispatchEvent(new Event("input")); // refresh the shared character counter
    var isVideo = item.kind === "video";
    this.find("[data-crop-panel]").hidden = isVideo;
    this.find("[data-video-modes]").hidden = !isVideo;
    this.find("[data-video-note]").hidden = !isVideo;
    var video = this.find("[data-video]");
    if (isVideo) {
      var mp4 = this.videoRendition(item);
      video.src = mp4 ? mp4.url : "";
    } else {
      video.removeAttribute("src");
    }
    this.showMode("cover");
    this.rendered(item);
    this.shownRegion = this.region();
    this.find("[data-picker]").hidden = true;
    this.find("[data-editor]").hidden = false;
    this.dirty = false;
    this.syncControls();
    this.layoutFrame();
    this.loadPreview();
    this.scrollToChosen();
    this.stripEdges();
  };

  // A new rendering of the item is out: previews start from its new base picture.
  Composer.prototype.rendered = function (item) {
    var self = this;
    this.item = item;
    this.cacheKey = renditionKey(item);
    this.findAll("[data-filter]").forEach(function (button) {
      var thumb = button.querySelector("[data-thumb]");
      var look = { filter: button.dataset.filter, strength: 100, adjustments: {} };
      thumb.src = self.previewUrl(look, 320);
    });
  };

  // Bring the chosen filter into view inside the strip, without scrolling the page.
  Composer.prototype.scrollToChosen = function () {
    var strip = this.find("[data-filters]");
    var chosen = this.find('[data-filter][aria-checked="true"]');
    if (!chosen) return;
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

  // Put every control in line with the current edit.
  Composer.prototype.syncControls = function () {
    var self = this;
    var chosen = this.edit.filter;
    this.findAll("[data-filter]").forEach(function (button) {
      var on = button.dataset.filter === chosen;
      button.setAttribute("aria-checked", String(on));
      button.tabIndex = on ? 0 : -1;
      if (on) self.find("[data-filter-name]").textContent = "· " + button.dataset.label;
    });
    var strength = this.find("[data-strength]");
    strength.value = String(this.edit.strength);
    strength.disabled = chosen === "normal";
    this.findAll("[data-adjustment]").forEach(function (slider) {
      slider.value = String(self.edit.adjustments[slider.dataset.adjustment] || 0);
    });
    this.findAll("[data-value-of]").forEach(function (output) {
      var input = self.find("#" + output.dataset.valueOf);
      var value = parseInt(input.value, 10);
      var low = parseInt(input.min, 10);
      var high = parseInt(input.max, 10);
      output.textContent = low < 0 && value > 0 ? "+" + value : String(value);
      input.style.setProperty("--fill", ((value - low) / (high - low)) * 100 + "%");
    });
    this.findAll("[data-aspect]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.aspect === self.aspect));
    });
  };

  Composer.prototype.changed = function () {
    this.syncControls();
    this.markDirty();
    this.schedulePreview();
  };

  Composer.prototype.markDirty = function () {
    this.dirty = true;
    if (!this.saving) {
      this.find("[data-save-status]").textContent = "";
      this.find("[data-after]").hidden = true;
      this.find("[data-save-error]").hidden = true;
    }
  };

  Composer.prototype.cropBox = function () {
    var item = this.item;
    if (!item || item.kind !== "photo" || !item.width || !item.height) return null;
    return cropFor(this.aspect, item.width, item.height);
  };

  // The part of the photo the server's previews show: the crop of the last rendering.
  Composer.prototype.region = function () {
    var crop = this.item && this.item.kind === "photo" ? this.item.crop : null;
    return crop ? { x: crop.x, y: crop.y, width: crop.width, height: crop.height } : FULL;
  };

  // Show the chosen crop: the frame takes the crop's shape and the preview (which shows
  // ``shownRegion`` of the photo) is moved and scaled inside it so that exactly the
  // rectangle shows.
  Composer.prototype.layoutFrame = function () {
    var item = this.item;
    var frame = this.find("[data-frame]");
    var image = this.find("[data-preview]");
    var region = this.shownRegion;
    var box = this.cropBox() || FULL;
    var width = (item.width || 4) * box.width;
    var height = (item.height || 3) * box.height;
    frame.style.setProperty("--ratio", String(width / height));
    image.style.width = (100 * region.width) / box.width + "%";
    image.style.height = (100 * region.height) / box.height + "%";
    image.style.left = (100 * (region.x - box.x)) / box.width + "%";
    image.style.top = (100 * (region.y - box.y)) / box.height + "%";
    frame.dataset.aspect = this.aspect;
    var eps = 1e-3;
    var outside =
      box.x < region.x - eps ||
      box.y < region.y - eps ||
      box.x + box.width > region.x + region.width + eps ||
      box.y + box.height > region.y + region.height + eps;
    this.find("[data-crop-note]").hidden = !outside;
  };

  // The smallest preview size that stays sharp in the frame on this screen.
  Composer.prototype.previewSize = function () {
    var box = this.cropBox() || FULL;
    var frame = this.find("[data-frame]");
    var shown = this.region().width / box.width;
    var needed = frame.clientWidth * shown * (window.devicePixelRatio || 1);
    var sizes = this.config.previewSizes.filter(function (size) {
      return size >= 540;
    });
    for (var i = 0; i < sizes.length; i += 1) {
      if (sizes[i] >= needed) return sizes[i];
    }
    return sizes[sizes.length - 1];
  };

  Composer.prototype.previewUrl = function (edit, size) {
    var params = new URLSearchParams();
    params.set("filter", edit.filter || "normal");
    if (edit.filter && edit.filter !== "normal") params.set("strength", String(edit.strength));
    var adjustments = nonZero(edit.adjustments);
    if (Object.keys(adjustments).length) params.set("adjustments", JSON.stringify(adjustments));
    params.set("size", String(size));
    // The answer depends on the item's current rendering too: a new one gets a new URL.
    if (this.cacheKey) params.set("r", this.cacheKey);
    return this.api + "/" + this.item.id + "/preview?" + params.toString();
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

  // Fetch the big preview; a newer one cancels this one, and the picture on screen stays
  // until the next one is decoded, so dragging a slider never flickers.
  Composer.prototype.loadPreview = function () {
    var self = this;
    var url = this.previewUrl(this.edit, this.previewSize());
    var region = this.region();
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
          if (self.previewRequest !== controller) {
            URL.revokeObjectURL(objectUrl);
            return;
          }
          var old = image.src;
          image.src = objectUrl;
          image.dataset.url = url;
          image.alt = self.describe();
          if (old && old.indexOf("blob:") === 0) URL.revokeObjectURL(old);
          self.shownPreview = url;
          self.shownRegion = region;
          self.layoutFrame();
          self.previewDone(controller);
        });
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        if (self.previewRequest !== controller) return;
        self.previewDone(controller);
        var message = (error && error.message) || "The preview could not be loaded.";
        self.find("[data-save-status]").textContent = message;
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
    var alt = this.find("[data-alt]").value.trim();
    if (alt) return alt;
    var button = this.find('[data-filter="' + this.edit.filter + '"]');
    var filtered = button && this.edit.filter !== "normal";
    var look = filtered ? " with the " + button.dataset.label + " filter" : "";
    return "Preview of your " + (this.item.kind === "video" ? "video's cover" : "photo") + look;
  };

  // --- Step 3: save -----------------------------------------------------------------------

  Composer.prototype.payload = function () {
    var body = {
      filter: this.edit.filter,
      filter_strength: this.edit.strength,
      adjustments: nonZero(this.edit.adjustments),
      alt_text: this.find("[data-alt]").value,
    };
    var box = this.cropBox();
    if (box) {
      var saved = this.item.crop;
      var unchanged = saved && saved.aspect === box.aspect && sameBox(saved, box);
      // "Original" of a photo already uncropped needs no crop sent.
      if (!unchanged && !(box.aspect === "original" && !saved)) body.crop = box;
    }
    return body;
  };

  Composer.prototype.save = function () {
    var self = this;
    if (this.saving || !this.item) return;
    this.saving = true;
    var button = this.find("[data-save]");
    var status = this.find("[data-save-status]");
    var problem = this.find("[data-save-error]");
    var generation = this.generation;
    problem.hidden = true;
    button.disabled = true;
    button.textContent = "Saving…";
    status.textContent = "Saving…";
    status.classList.remove("is-saved");
    this.dirty = false;
    api("PATCH", this.api + "/" + this.item.id, this.csrf, this.payload())
      .then(function (item) {
        // Until the new rendering is out, previews still come from the old one.
        if (item.status === "ready") return item;
        status.textContent = "Applying your edit…";
        return new Promise(function (resolve, reject) {
          var attempt = 0;
          function poll() {
            var delay = POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)];
            attempt += 1;
            setTimeout(function () {
              api("GET", self.api + "/" + item.id, self.csrf).then(function (current) {
                if (generation !== self.generation) return;
                if (current.status === "ready") resolve(current);
                else if (current.status === "failed") {
                  reject({ message: current.failure_reason, fields: [] });
                }
                else poll();
              }, reject);
            }, delay);
          }
          poll();
        });
      })
      .then(function (item) {
        self.rendered(item);
        self.loadPreview();
        status.textContent = self.dirty ? "" : "Saved";
        status.classList.add("is-saved");
        self.find("[data-after]").hidden = self.dirty;
      })
      .catch(function (error) {
        status.textContent = "";
        problem.textContent = "";
        var message = document.createElement("p");
        message.textContent = error.message || "The edit could not be saved.";
        problem.appendChild(message);
        (error.fields || []).forEach(function (text) {
          var line = document.createElement("p");
          line.textContent = text;
          problem.appendChild(line);
        });
        problem.hidden = false;
      })
      .then(function () {
        self.saving = false;
        button.disabled = false;
        button.textContent = "Save";
      });
  };

  // Previews are cached by URL; the version changes whenever the renditions do.
  function renditionKey(item) {
    return String(item.version || 0);
  }

  function nonZero(adjustments) {
    var result = {};
    Object.keys(adjustments || {}).forEach(function (name) {
      if (adjustments[name]) result[name] = adjustments[name];
    });
    return result;
  }

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

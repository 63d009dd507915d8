// The story viewer (progress bars, tap and arrow keys, seen, reactions, replies, viewers)
// and the upload of the "new story" page. Writes go through the JSON API with the page's
// CSRF token; nothing here is inline in the page.
(function () {
  "use strict";

  function api(root, method, url, body) {
    var headers = { Accept: "application/json", "X-CSRFToken": root.dataset.csrf };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
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

  function Viewer(root) {
    this.root = root;
    this.slides = Array.prototype.slice.call(root.querySelectorAll("[data-story]"));
    this.fills = root.querySelectorAll(".story-viewer__fill");
    this.own = root.dataset.own === "true";
    this.timer = null;
    this.paused = false;
    this.index = -1;
    this.bind();
    this.show(Math.min(parseInt(root.dataset.start, 10) || 0, this.slides.length - 1));
  }

  Viewer.prototype.bind = function () {
    var self = this;
    var next = this.root.querySelector("[data-story-next]");
    var prev = this.root.querySelector("[data-story-prev]");
    next.addEventListener("click", function () { self.next(); });
    prev.addEventListener("click", function () { self.prev(); });
    document.addEventListener("keydown", function (event) {
      if (event.target.closest && event.target.closest("input, textarea")) return;
      if (event.key === "ArrowRight") self.next();
      if (event.key === "ArrowLeft") self.prev();
    });
    this.root.querySelectorAll("[data-story-react]").forEach(function (button) {
      button.addEventListener("click", function () { self.react(button); });
    });
    var reply = this.root.querySelector("[data-story-reply]");
    if (reply) {
      var input = reply.querySelector("input");
      input.addEventListener("focus", function () { self.pause(); });
      input.addEventListener("blur", function () { self.resume(); });
      reply.addEventListener("submit", function (event) {
        event.preventDefault();
        self.reply(input);
      });
    }
    var seenBy = this.root.querySelector("[data-story-seen-by]");
    if (seenBy) seenBy.addEventListener("click", function () { self.viewers(); });
  };

  Viewer.prototype.current = function () {
    return this.slides[this.index];
  };

  Viewer.prototype.show = function (index) {
    var self = this;
    clearTimeout(this.timer);
    if (this.index >= 0) {
      var video = this.current().querySelector("video");
      if (video) video.pause();
    }
    this.index = index;
    this.slides.forEach(function (slide, i) { slide.hidden = i !== index; });
    Array.prototype.forEach.call(this.fills, function (fill, i) {
      fill.style.transition = "none";
      fill.style.width = i < index ? "100%" : "0";
    });
    var slide = this.current();
    var when = this.root.querySelector("[data-story-when]");
    if (when) when.textContent = slide.dataset.age + " ago";
    var views = this.root.querySelector("[data-story-views]");
    if (views) views.textContent = slide.dataset.views;
    this.root.querySelectorAll("[data-story-react]").forEach(function (b) { b.classList.remove("is-active"); });
    var video = slide.querySelector("video");
    if (video) { video.currentTime = 0; video.play().catch(function () {}); }
    this.start(parseFloat(slide.dataset.seconds) || 5);
    this.markSeen(slide);
    var list = this.root.querySelector("[data-story-viewers]");
    if (list) list.hidden = true;
    void self;
  };

  Viewer.prototype.start = function (seconds) {
    var self = this;
    var fill = this.fills[this.index];
    this.remaining = seconds * 1000;
    this.startedAt = Date.now();
    // Reflow so the transition starts from the width just set.
    void fill.offsetWidth;
    fill.style.transition = "width " + seconds + "s linear";
    fill.style.width = "100%";
    this.timer = setTimeout(function () { self.next(); }, this.remaining);
  };

  Viewer.prototype.pause = function () {
    if (this.paused) return;
    this.paused = true;
    clearTimeout(this.timer);
    this.remaining -= Date.now() - this.startedAt;
    var fill = this.fills[this.index];
    fill.style.width = getComputedStyle(fill).width;
    fill.style.transition = "none";
  };

  Viewer.prototype.resume = function () {
    if (!this.paused) return;
    var self = this;
    this.paused = false;
    var fill = this.fills[this.index];
    var seconds = Math.max(this.remaining, 0) / 1000;
    fill.style.transition = "width " + seconds + "s linear";
    fill.style.width = "100%";
    this.startedAt = Date.now();
    this.timer = setTimeout(function () { self.next(); }, this.remaining);
  };

  Viewer.prototype.next = function () {
    this.paused = false;
    if (this.index + 1 < this.slides.length) {
      this.show(this.index + 1);
    } else {
      clearTimeout(this.timer);
      window.location.href = this.root.dataset.done;
    }
  };

  Viewer.prototype.prev = function () {
    this.paused = false;
    this.show(Math.max(this.index - 1, 0));
  };

  Viewer.prototype.url = function (slide, suffix) {
    return this.root.dataset.api + slide.dataset.story + suffix;
  };

  Viewer.prototype.markSeen = function (slide) {
    if (this.own || slide.dataset.seen === "true" || !this.root.dataset.csrf) return;
    slide.dataset.seen = "true";
    api(this.root, "POST", this.url(slide, "/seen"), {}).catch(function () {
      slide.dataset.seen = "false";
    });
  };

  Viewer.prototype.status = function (text) {
    var status = this.root.querySelector("[data-story-status]");
    if (status) status.textContent = text;
  };

  Viewer.prototype.react = function (button) {
    var self = this;
    api(this.root, "POST", this.url(this.current(), "/reactions"), { emoji: button.dataset.storyReact })
      .then(function () {
        self.root.querySelectorAll("[data-story-react]").forEach(function (b) { b.classList.remove("is-active"); });
        button.classList.add("is-active");
        self.status("Reaction sent.");
      }, function (error) { self.status(error.message); });
  };

  Viewer.prototype.reply = function (input) {
    var self = this;
    var text = input.value.trim();
    if (!text) return;
    api(this.root, "POST", this.url(this.current(), "/replies"), { text: text }).then(function () {
      input.value = "";
      input.blur();
      self.status("Reply sent.");
    }, function (error) { self.status(error.message); });
  };

  Viewer.prototype.viewers = function () {
    var self = this;
    var panel = this.root.querySelector("[data-story-viewers]");
    var list = this.root.querySelector("[data-story-viewers-list]");
    this.pause();
    api(this.root, "GET", this.url(this.current(), "/viewers")).then(function (page) {
      list.textContent = "";
      page.items.forEach(function (row) {
        var item = document.createElement("li");
        item.className = "people__item";
        var link = document.createElement("a");
        link.className = "people__link";
        link.href = "/" + row.account.username + "/";
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
      panel.hidden = false;
      void self;
    });
  };

  function Upload(root) {
    var input = root.querySelector("[data-story-file]");
    var status = root.querySelector("[data-story-upload-status]");
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var form = new FormData();
      form.append("file", input.files[0]);
      status.textContent = "Uploading…";
      api(root, "POST", root.dataset.api, form).then(function (item) {
        status.textContent = "Processing…";
        poll(item.id);
      }, function (error) { status.textContent = error.message; });
    });
    function poll(id) {
      api(root, "GET", root.dataset.api + "/" + id).then(function (item) {
        if (item.status === "ready") window.location.reload();
        else if (item.status === "failed") status.textContent = item.failure_reason || "Processing failed.";
        else setTimeout(function () { poll(id); }, 1000);
      }, function (error) { status.textContent = error.message; });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var viewer = document.querySelector("[data-story-viewer]");
    if (viewer && viewer.querySelector("[data-story]")) new Viewer(viewer);
    var upload = document.querySelector("[data-story-upload]");
    if (upload) new Upload(upload);
  });
})();

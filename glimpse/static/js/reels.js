// The Reels page: the reel that fills the screen plays (muted until a tap turns the sound on,
// for it and every reel after it) and the others stop; a play is counted once; like and share
// work in place through the JSON API with the page's CSRF token. The next reels are asked for
// (htmx) while two are still ahead. Without this file the videos keep their own controls, the
// like button is a form and share and comment are links.
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var SHOWN = 0.6; // the share of a reel on screen that makes it the one playing
  var AHEAD = 2; // ask for the next reels when this many or fewer are left

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function compact(number) {
    // As the pages' "compact" filter: 987, 1.2K, 34K, 5.6M; nothing for none.
    if (!number) return "";
    var sizes = [[1000000, "M"], [1000, "K"]];
    for (var i = 0; i < sizes.length; i++) {
      if (number >= sizes[i][0]) {
        var value = number / sizes[i][0];
        var text = value < 10 ? value.toFixed(1) : value.toFixed(0);
        return text.replace(/\.0$/, "") + sizes[i][1];
      }
    }
    return number.toLocaleString("en-US");
  }

  function viewsText(count) {
    return count.toLocaleString("en-US") + (count === 1 ? " view" : " views");
  }

  function Reels(root) {
    this.root = root;
    this.feed = root.querySelector("[data-reels-feed]");
    this.toastNode = root.querySelector("[data-reels-toast]");
    this.api = root.dataset.api;
    this.csrf = root.dataset.csrf;
    this.sound = false;
    this.current = null;
    this.aim = null; // where the keys are moving the feed to
    this.aimTimer = 0;
    this.toastTimer = 0;
    var self = this;
    this.observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          self.seen(entry.target, entry.intersectionRatio >= SHOWN);
        });
      },
      { root: this.feed, threshold: [0, SHOWN] }
    );
    this.setupWithin(root);
    // Reels loaded by htmx arrive inside the feed: set them up as they land.
    document.body.addEventListener("htmx:load", function (event) {
      self.setupWithin(event.detail.elt);
    });
    document.addEventListener("keydown", function (event) { self.key(event); });
    document.addEventListener("visibilitychange", function () {
      if (!self.current) return;
      if (document.hidden) self.video(self.current).pause();
      else if (self.current.dataset.wanted === "true") self.play(self.current);
    });
  }

  Reels.prototype.request = function (method, path, body) {
    var headers = { Accept: "application/json", "X-CSRFToken": this.csrf };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(this.api + path, init).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error((data.error && data.error.message) || "Something went wrong.");
        return data;
      });
    });
  };

  Reels.prototype.setupWithin = function (node) {
    var self = this;
    var reels = node.matches && node.matches("[data-reel]") ? [node] : node.querySelectorAll("[data-reel]");
    Array.prototype.forEach.call(reels, function (reel) { self.setup(reel); });
  };

  Reels.prototype.video = function (reel) {
    return reel.querySelector("[data-reel-video]");
  };

  Reels.prototype.setup = function (reel) {
    if (reel.dataset.ready) return;
    reel.dataset.ready = "true";
    var self = this;
    var video = this.video(reel);
    var tap = reel.querySelector("[data-reel-tap]");
    var controls = reel.querySelector("[data-reel-controls]");
    var playButton = reel.querySelector("[data-reel-play]");
    video.controls = false;
    video.muted = !this.sound;
    tap.hidden = false;
    controls.hidden = false;
    reel.classList.add("is-paused");
    reel.classList.toggle("is-held", reducedMotion.matches);
    this.soundButton(reel);
    tap.addEventListener("click", function () {
      if (video.paused) self.want(reel, true);
      else self.toggleSound();
    });
    playButton.addEventListener("click", function () { self.want(reel, video.paused); });
    reel.querySelector("[data-reel-sound]").addEventListener("click", function () { self.toggleSound(); });
    video.addEventListener("play", function () { self.playing(reel, true); });
    video.addEventListener("pause", function () { self.playing(reel, false); });
    video.addEventListener("timeupdate", function () {
      // A play counts once it has run a second (or half of a shorter reel).
      var enough = Math.min(1, (video.duration || 2) / 2);
      if (video.currentTime >= enough) self.count(reel);
    });
    var like = reel.querySelector("[data-reel-like]");
    if (like) {
      like.addEventListener("submit", function (event) {
        event.preventDefault();
        self.like(reel, like);
      });
    }
    var share = reel.querySelector("[data-reel-share]");
    share.addEventListener("click", function (event) {
      event.preventDefault();
      self.share(reel, share.href);
    });
    this.observer.observe(reel);
  };

  // --- Playing --------------------------------------------------------------------------

  Reels.prototype.seen = function (reel, shown) {
    if (!shown) {
      this.video(reel).pause();
      return;
    }
    this.current = reel;
    // Reduced motion: nothing starts by itself; a tap or the play button starts it.
    if (!reducedMotion.matches || reel.dataset.wanted === "true") this.play(reel);
    this.nearEnd(reel);
  };

  Reels.prototype.want = function (reel, play) {
    reel.dataset.wanted = String(play);
    if (play) this.play(reel);
    else this.video(reel).pause();
  };

  Reels.prototype.play = function (reel) {
    var self = this;
    var video = this.video(reel);
    video.muted = !this.sound;
    var started = video.play();
    if (started && started.catch) {
      started.catch(function () {
        // The browser refused sound without a tap on this page: play muted instead.
        if (!video.muted) {
          self.setSound(false);
          video.play().catch(function () {});
        }
      });
    }
  };

  Reels.prototype.playing = function (reel, on) {
    reel.classList.toggle("is-paused", !on);
    // The big play sign shows on a reel stopped by hand, or waiting for a tap (reduced motion).
    var held = !on && (reel.dataset.wanted === "false" || reducedMotion.matches);
    reel.classList.toggle("is-held", held);
    reel.querySelector("[data-reel-play]").setAttribute("aria-label", on ? "Pause" : "Play");
  };

  Reels.prototype.toggleSound = function () {
    this.setSound(!this.sound);
  };

  Reels.prototype.setSound = function (on) {
    var self = this;
    this.sound = on;
    this.root.classList.toggle("is-sound", on);
    this.feed.querySelectorAll("[data-reel]").forEach(function (reel) {
      self.video(reel).muted = !on;
      self.soundButton(reel);
    });
    this.toast(on ? "Sound on" : "Sound off");
  };

  Reels.prototype.soundButton = function (reel) {
    reel.querySelector("[data-reel-sound]").setAttribute("aria-pressed", String(this.sound));
  };

  Reels.prototype.nearEnd = function (reel) {
    var next = this.feed.querySelector("[data-reels-next]");
    if (!next) return;
    var reels = Array.prototype.slice.call(this.feed.querySelectorAll("[data-reel]"));
    if (reels.length - 1 - reels.indexOf(reel) <= AHEAD) next.dispatchEvent(new Event("reelsnear"));
  };

  Reels.prototype.key = function (event) {
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var step = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 }[event.key];
    if (event.key === "m") {
      this.toggleSound();
    } else if (step) {
      event.preventDefault();
      this.go(step);
    }
  };

  // Move a reel up or down. Presses while the feed is still moving count from where it is
  // going, so that two quick presses move two reels.
  Reels.prototype.go = function (step) {
    var self = this;
    var stops = Array.prototype.slice.call(this.feed.querySelectorAll("[data-reel], .reels__stop"));
    var from = this.aim && stops.indexOf(this.aim) >= 0 ? stops.indexOf(this.aim) : stops.indexOf(this.current);
    var to = stops[Math.max(0, Math.min(stops.length - 1, Math.max(from, 0) + step))];
    if (!to) return;
    this.aim = to;
    clearTimeout(this.aimTimer);
    this.aimTimer = setTimeout(function () { self.aim = null; }, 1000);
    to.scrollIntoView({ block: "start", behavior: reducedMotion.matches ? "auto" : "smooth" });
  };

  // --- Counting, liking, sharing ----------------------------------------------------------

  Reels.prototype.count = function (reel) {
    if (reel.dataset.counted) return;
    reel.dataset.counted = "true";
    var views = reel.querySelector("[data-reel-views]");
    this.request("POST", "reels/" + reel.dataset.reel + "/views", {}).then(
      function (data) { views.textContent = viewsText(data.view_count); },
      function () { delete reel.dataset.counted; }
    );
  };

  Reels.prototype.like = function (reel, form) {
    var self = this;
    var button = form.querySelector("button");
    if (button.disabled) return;
    var liked = button.getAttribute("aria-pressed") === "true";
    button.disabled = true;
    this.request(liked ? "DELETE" : "POST", "posts/" + reel.dataset.reel + "/like")
      .then(function (data) {
        button.setAttribute("aria-pressed", String(data.liked));
        button.classList.toggle("is-on", data.liked);
        form.querySelector("[data-like-count]").textContent = compact(data.like_count);
      }, function (error) { self.toast(error.message); })
      .then(function () { button.disabled = false; });
  };

  Reels.prototype.share = function (reel, url) {
    var self = this;
    // Counted for the author's insights; the link is shared whatever that answers.
    this.request("POST", "shares", { post_id: reel.dataset.reel }).catch(function () {});
    if (navigator.share) {
      navigator.share({ url: url }).catch(function () {});
      return;
    }
    function copied() { self.toast("Link copied"); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(copied, function () { self.toast(url); });
    } else {
      self.toast(url);
    }
  };

  Reels.prototype.toast = function (text) {
    var node = this.toastNode;
    node.textContent = text;
    node.classList.add("is-shown");
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(function () { node.classList.remove("is-shown"); }, 1800);
  };

  ready(function () {
    var root = document.querySelector("[data-reels]");
    if (root && "IntersectionObserver" in window) new Reels(root);
  });
})();

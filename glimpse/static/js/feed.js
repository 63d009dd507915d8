// The home feed. Its cards' buttons are post.js's (the post page's); this file adds what only
// a feed does:
// - the "New posts" banner: ask the API how many entries arrived since the newest one shown,
//   and show the banner (a link reloading the page) when some did. It asks when a
//   "feed.new_posts" event arrives on the account's websocket (live.js), and every minute in
//   case the socket is down;
// - "more" unfolds a long caption in place (without this file it opens the post);
// - videos play muted while most of them is on the screen and pause when they leave it,
//   unless the viewer paused one or asked for reduced motion (then they get the player's
//   controls, to start them); a video's sound button turns the sound on for every video of
//   the feed, as on Instagram, until it is turned off again.
(function () {
  "use strict";

  var PERIOD_MS = 60000;
  var IN_VIEW = 0.6; // how much of a video must be on the screen for it to play

  function start() {
    var banner = document.querySelector("[data-feed-new]");
    if (!banner) return;
    var url = banner.dataset.newCountUrl + "?since_id=" + encodeURIComponent(banner.dataset.sinceId);
    var timer = null;

    function check() {
      if (!banner.hidden) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (body && body.count > 0) {
            banner.hidden = false;
            window.clearInterval(timer);
          }
        })
        .catch(function () {
          // Offline or the server is restarting: try again next time.
        });
    }

    timer = window.setInterval(function () {
      if (!document.hidden) check();
    }, PERIOD_MS);
    document.addEventListener("glimpse:event", function (event) {
      var kind = (event.detail || {}).kind;
      if (kind === "feed.new_posts" || kind === "refetch") check();
    });
  }

  function unfoldCaptions() {
    document.addEventListener("click", function (event) {
      var more = event.target.closest("[data-caption-more]");
      var caption = more && document.getElementById(more.getAttribute("aria-controls"));
      if (!caption) return;
      event.preventDefault();
      caption.classList.remove("is-clamped");
      more.setAttribute("aria-expanded", "true");
      more.hidden = true;
    });
  }

  var soundOn = false;

  function toggleSound() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-feed-sound]");
      if (!button) return;
      event.preventDefault();
      soundOn = !soundOn;
      document.querySelectorAll("video[data-autoplay]").forEach(function (video) {
        video.muted = !soundOn;
      });
      document.querySelectorAll("[data-feed-sound]").forEach(function (each) {
        each.setAttribute("aria-pressed", soundOn ? "true" : "false");
      });
      var video = button.parentElement.querySelector("video");
      if (soundOn && video && video.paused) {
        var playing = video.play();
        if (playing && playing.catch) playing.catch(function () {});
      }
    });
  }

  function playVideosInView() {
    var still = window.matchMedia("(prefers-reduced-motion: reduce)");
    if (!("IntersectionObserver" in window) || still.matches) {
      // Nothing starts by itself: the player's own controls let the viewer start a video.
      var withControls = function () {
        document.querySelectorAll("video[data-autoplay]").forEach(function (video) {
          video.controls = true;
        });
      };
      withControls();
      document.body.addEventListener("htmx:afterSettle", withControls);
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          var video = entry.target;
          if (entry.isIntersecting && entry.intersectionRatio >= IN_VIEW) {
            if (video.dataset.viewerPaused) return;
            video.muted = !soundOn;
            var playing = video.play();
            if (playing && playing.catch) playing.catch(function () {});
          } else if (!video.paused) {
            video.dataset.autoPaused = "true";
            video.pause();
          }
        });
      },
      { threshold: [0, IN_VIEW] }
    );

    function watch() {
      document.querySelectorAll("video[data-autoplay]:not([data-watched])").forEach(function (video) {
        video.dataset.watched = "true";
        // A pause the viewer made sticks until they play the video again.
        video.addEventListener("pause", function () {
          if (video.dataset.autoPaused) delete video.dataset.autoPaused;
          else video.dataset.viewerPaused = "true";
        });
        video.addEventListener("play", function () {
          delete video.dataset.viewerPaused;
        });
        observer.observe(video);
      });
    }

    watch();
    document.body.addEventListener("htmx:afterSettle", watch);
  }

  function ready() {
    start();
    unfoldCaptions();
    toggleSound();
    playVideosInView();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

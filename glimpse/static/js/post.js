// The post pages and the feed's cards: the carousel (swipe, arrows, dots, keys, double tap to
// like), replying to comments, opening threads, sharing and copying a post's link and showing
// what htmx could not do. Every button also works without this file: the carousel scrolls,
// and forms post and come back to the page. A page may hold many posts (the feed): what a
// button does is looked up in its own post ([data-post]).
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // --- Carousels --------------------------------------------------------------------------

  function setupCarousel(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "true";
    var track = root.querySelector("[data-track]");
    var slides = Array.prototype.slice.call(root.querySelectorAll("[data-slide]"));
    if (!slides.length) return;
    var prev = root.querySelector("[data-prev]");
    var next = root.querySelector("[data-next]");
    var count = root.querySelector("[data-count]");
    var announce = root.querySelector("[data-announce]");
    var dots = Array.prototype.slice.call(root.querySelectorAll("[data-dot]"));
    var current = 0;
    var frame = 0;

    function index() {
      var width = track.clientWidth || 1;
      return Math.max(0, Math.min(slides.length - 1, Math.round(track.scrollLeft / width)));
    }

    function show(position) {
      if (position === current && root.dataset.index) return;
      current = position;
      root.dataset.index = String(position);
      if (prev) prev.hidden = position === 0;
      if (next) next.hidden = position === slides.length - 1;
      if (count) count.textContent = position + 1 + "/" + slides.length;
      dots.forEach(function (dot, i) {
        if (i === position) dot.setAttribute("aria-current", "true");
        else dot.removeAttribute("aria-current");
      });
      // A video's own controls sit at the bottom: the dots move above them.
      root.classList.toggle("is-video", Boolean(slides[position].querySelector("video")));
      slides.forEach(function (slide, i) {
        slide.setAttribute("aria-hidden", String(i !== position));
        // A video that leaves the screen stops, as in every photo app.
        var video = slide.querySelector("video");
        if (video && i !== position && !video.paused) {
          video.dataset.autoPaused = "true"; // not the viewer's pause: feed.js may play it again
          video.pause();
        }
      });
      if (announce && slides.length > 1) {
        announce.textContent = "Item " + (position + 1) + " of " + slides.length;
      }
    }

    function go(position) {
      position = Math.max(0, Math.min(slides.length - 1, position));
      track.scrollTo({
        left: position * track.clientWidth,
        behavior: reducedMotion.matches ? "auto" : "smooth",
      });
      show(position);
    }

    track.addEventListener(
      "scroll",
      function () {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(function () {
          show(index());
        });
      },
      { passive: true }
    );
    if (prev) prev.addEventListener("click", function () { go(current - 1); });
    if (next) next.addEventListener("click", function () { go(current + 1); });
    dots.forEach(function (dot) {
      dot.addEventListener("click", function () {
        go(parseInt(dot.dataset.dot, 10));
      });
    });
    track.addEventListener("keydown", function (event) {
      var target = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: slides.length - 1 }[
        event.key
      ];
      if (target === undefined || event.target !== track) return;
      event.preventDefault();
      go(target);
    });
    // A resize keeps the same item in view.
    window.addEventListener("resize", function () {
      track.scrollTo({ left: current * track.clientWidth, behavior: "auto" });
    });
    // Double-tap a photo to like it: a heart bursts over it, and a second double tap keeps
    // the like. Touch screens are read from the touches themselves (two taps within 350 ms,
    // close together, neither a swipe); a mouse's double click does the same. A video with
    // the player's controls keeps its taps; a feed's video (no controls) is liked the same.
    var tapStart = null;
    var lastTap = { time: 0, x: 0, y: 0 };
    var touchLiked = 0;
    track.addEventListener(
      "touchstart",
      function (event) {
        var touch = event.touches.length === 1 ? event.touches[0] : null;
        tapStart = touch ? { x: touch.clientX, y: touch.clientY } : null;
      },
      { passive: true }
    );
    track.addEventListener("touchend", function (event) {
      var touch = event.changedTouches[0];
      if (!tapStart || !touch || event.target.closest("video[controls], a, button")) return;
      if (Math.abs(touch.clientX - tapStart.x) > 10 || Math.abs(touch.clientY - tapStart.y) > 10) {
        lastTap.time = 0; // a swipe
        return;
      }
      var now = Date.now();
      var near = Math.abs(touch.clientX - lastTap.x) < 40 && Math.abs(touch.clientY - lastTap.y) < 40;
      if (now - lastTap.time < 350 && near) {
        event.preventDefault(); // no zoom, no click
        lastTap.time = 0;
        touchLiked = now;
        likeFromMedia();
      } else {
        lastTap = { time: now, x: touch.clientX, y: touch.clientY };
      }
    });
    track.addEventListener("dblclick", function (event) {
      if (Date.now() - touchLiked < 800 || event.target.closest("video[controls], a, button")) {
        return;
      }
      likeFromMedia();
    });

    function likeFromMedia() {
      var post = root.closest("[data-post]");
      var like = post && post.querySelector(".action--like");
      if (!like) return; // a visitor: liking needs an account
      burst(root);
      if (like.getAttribute("aria-pressed") === "false") like.click();
    }
    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-show-tags]");
      if (!button) return;
      var tags = button.parentNode.querySelector("[data-tags]");
      var shown = button.getAttribute("aria-pressed") === "true";
      tags.hidden = shown;
      button.setAttribute("aria-pressed", String(!shown));
    });
    show(index());
  }

  var SVG = "http://www.w3.org/2000/svg";

  function burst(root) {
    var old = root.querySelector(".like-burst");
    if (old) old.remove();
    var heart = document.createElement("span");
    heart.className = "like-burst";
    heart.setAttribute("aria-hidden", "true");
    var icon = document.createElementNS(SVG, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("fill", "currentColor");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute(
      "d",
      "M20.8 4.6a5.5 5.5 0 0 0-7.8 0L12 5.7l-1-1.1a5.5 5.5 0 0 0-7.8 7.8l1 1.1L12 21l7.8-7.5 1-1.1a5.5 5.5 0 0 0 0-7.8z"
    );
    icon.appendChild(path);
    heart.appendChild(icon);
    root.appendChild(heart);
    function gone() {
      heart.remove();
    }
    heart.addEventListener("animationend", gone);
    setTimeout(gone, 1500); // in case no animation runs
  }

  // --- Comments ---------------------------------------------------------------------------

  // The comment box of the post an element belongs to (a feed holds one per card).
  function commentForm(from) {
    var post = from && from.closest ? from.closest("[data-post]") : null;
    return (post || document).querySelector("[data-comment-form]");
  }

  function grow(area) {
    area.style.height = "auto";
    area.style.height = Math.min(area.scrollHeight, 120) + "px";
  }

  function focusAtEnd(area) {
    area.focus();
    var end = area.value.length;
    area.setSelectionRange(end, end);
    grow(area);
  }

  function replyTo(threadId, name, from) {
    var form = commentForm(from);
    if (!form) return;
    var area = form.querySelector("textarea");
    var banner = form.querySelector("[data-replying]");
    form.querySelector("[data-parent]").value = threadId;
    form.querySelector("[data-replying-name]").textContent = "@" + name;
    banner.hidden = false;
    var mention = "@" + name + " ";
    if (area.value.indexOf(mention) !== 0) area.value = mention + area.value.replace(/^@\S+\s/, "");
    form.scrollIntoView({ block: "nearest", behavior: reducedMotion.matches ? "auto" : "smooth" });
    focusAtEnd(area);
  }

  function cancelReply(form) {
    var area = form.querySelector("textarea");
    var name = form.querySelector("[data-replying-name]").textContent;
    form.querySelector("[data-parent]").value = "";
    form.querySelector("[data-replying]").hidden = true;
    if (name && area.value.indexOf(name + " ") === 0) area.value = area.value.slice(name.length + 1);
    focusAtEnd(area);
  }

  function toggleThread(button) {
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    var open = button.getAttribute("aria-expanded") === "true";
    list.hidden = open;
    button.setAttribute("aria-expanded", String(!open));
    var replies = list.children.length;
    button.textContent = open ? "View replies (" + replies + ")" : "Hide replies";
  }

  // --- Small things -----------------------------------------------------------------------

  var toastTimer = 0;

  function toast(message) {
    var box = document.querySelector("[data-toast]");
    if (!box) {
      box = document.createElement("p");
      box.className = "toast";
      box.setAttribute("role", "alert");
      box.dataset.toast = "";
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      box.hidden = true;
    }, 5000);
  }

  function copy(button) {
    var field = document.getElementById(button.dataset.copyPost);
    if (!field) return;
    var label = button.querySelector("[data-copy-label]") || button;
    function done() {
      label.textContent = "Copied";
      setTimeout(function () {
        label.textContent = "Copy";
      }, 2000);
    }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  }

  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except && !menu.contains(except)) menu.removeAttribute("open");
    });
  }

  function bindDocument() {
    document.addEventListener("click", function (event) {
      var target = event.target;
      var reply = target.closest("[data-reply]");
      if (reply && commentForm(reply)) {
        event.preventDefault();
        replyTo(reply.dataset.reply, reply.dataset.replyName, reply);
        return;
      }
      var cancel = target.closest("[data-cancel-reply]");
      if (cancel) {
        cancelReply(cancel.closest("form"));
        return;
      }
      var focus = target.closest("[data-focus-comment]");
      if (focus && commentForm(focus)) {
        event.preventDefault();
        var box = commentForm(focus).querySelector("textarea");
        box.scrollIntoView({ block: "nearest", behavior: reducedMotion.matches ? "auto" : "smooth" });
        focusAtEnd(box);
        return;
      }
      var share = target.closest(".share > summary");
      // Signed in, the menu opens: it holds "Send to…" (send_to.js) and the phone's sheet.
      if (share && navigator.share && !share.parentNode.querySelector("[data-send-to]")) {
        // The phone's own share sheet; without it the menu opens with the link to copy.
        var link = share.parentNode.querySelector(".share__input");
        if (link) {
          event.preventDefault();
          navigator.share({ url: link.value }).catch(function () {
            // Dismissed, or refused: nothing to do.
          });
          return;
        }
      }
      var thread = target.closest("[data-thread-toggle]");
      if (thread) {
        toggleThread(thread);
        return;
      }
      var copyButton = target.closest("[data-copy-post]");
      if (copyButton) {
        copy(copyButton);
        return;
      }
      closeMenus(target.closest("details.menu"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeMenus(null);
      var area = event.target;
      // Enter posts a comment; Shift+Enter starts a new line.
      if (
        event.key === "Enter" &&
        !event.shiftKey &&
        !event.isComposing &&
        area.matches &&
        area.matches("[data-comment-form] textarea")
      ) {
        event.preventDefault();
        if (area.value.trim()) area.form.requestSubmit();
      }
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("[data-comment-form] textarea")) {
        grow(event.target);
      }
    });

    // htmx: keep the comment box focused across its swap, and say what went wrong.
    var typing = "";
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var source = event.detail.elt;
      var inside = source && source.matches && source.matches("[data-comment-form]") &&
        source.contains(document.activeElement);
      typing = inside ? source.id : "";
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      document.querySelectorAll("[data-carousel]").forEach(setupCarousel);
      var form = typing && document.getElementById(typing);
      if (form) {
        focusAtEnd(form.querySelector("textarea"));
        typing = "";
      }
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      var xhr = event.detail.xhr;
      var type = xhr.getResponseHeader("Content-Type") || "";
      var text = type.indexOf("text/plain") === 0 ? xhr.responseText : "";
      toast(text || "Something went wrong (" + xhr.status + "). Reload the page and try again.");
    });
    document.body.addEventListener("htmx:sendError", function () {
      toast("Glimpse could not be reached. Check your connection and try again.");
    });
  }

  ready(function () {
    document.querySelectorAll("[data-carousel]").forEach(setupCarousel);
    bindDocument();
    document.documentElement.dataset.postReady = "true";
  });
})();

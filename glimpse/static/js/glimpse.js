// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // Live "n / max" counter under textareas that name one with data-counter.
  function setupCounters() {
    document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var counter = document.getElementById(area.dataset.counter);
      if (!counter) return;
      var max = parseInt(area.getAttribute("maxlength"), 10);
      function update() {
        var length = area.value.length;
        counter.textContent = length + " / " + max;
        counter.classList.toggle("is-full", length >= max);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  // "Change photo": picking a file uploads it right away.
  function setupUploads() {
    document.querySelectorAll("form[data-upload]").forEach(function (form) {
      var input = form.querySelector("input[type=file]");
      if (!input) return;
      function upload() {
        if (input.files && input.files.length) {
          form.classList.add("is-busy");
          form.submit();
        }
      }
      input.addEventListener("change", upload);
      // A file picked before this script ran would otherwise wait for a hidden button.
      upload();
    });
  }

  // Copy buttons: data-copy names the input whose value goes to the clipboard.
  function setupCopy() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.copy);
        if (!field) return;
        var label = button.querySelector("[data-copy-label]") || button;
        function done() {
          label.textContent = "Copied";
          setTimeout(function () { label.textContent = "Copy"; }, 2000);
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
      });
    });
  }

  // "Log out" links open the confirmation dialog; without it they lead to the same question
  // on its own page. Either way logging out is the dialog's or the page's POST form.
  function setupLogout() {
    var dialog = document.getElementById("logout-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-logout]");
      if (!link || event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var more = link.closest("details[open]");
      if (more) more.open = false;
      dialog.showModal();
    });
    dialog.querySelectorAll("[data-dialog-close]").forEach(function (button) {
      button.addEventListener("click", function () {
        dialog.close();
      });
    });
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener("click", function (event) {
      if (event.target !== dialog) return;
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    });
  }

  // The sidebar's "More" menu closes on Escape and on a click elsewhere.
  function setupMore() {
    var more = document.querySelector("details[data-nav-more]");
    if (!more) return;
    var summary = more.querySelector("summary");
    document.addEventListener("click", function (event) {
      if (more.open && !more.contains(event.target)) more.open = false;
    });
    more.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.open) {
        more.open = false;
        summary.focus();
      }
    });
  }

  ready(function () {
    setupCounters();
    setupUploads();
    setupCopy();
    setupLogout();
    setupMore();
  });
})();

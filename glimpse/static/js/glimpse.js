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

  ready(function () {
    setupCounters();
    setupUploads();
    setupCopy();
  });
})();

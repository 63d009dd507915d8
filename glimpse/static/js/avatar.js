// The profile photo's crop: picking a photo opens a dialog with a circle to move, zoom and
// turn it in (js/cropper.js); "Save photo" sends the photo with the chosen square (x, y,
// width, height and rotation, fractions of the turned photo), which the server cuts. A photo
// the browser cannot draw (HEIC in most) is sent as it is: the server takes its centre.
(function () {
  "use strict";

  var MIN_SIDE = 64; // pixels of the photo the square keeps at least

  function setup(form) {
    var input = form.querySelector("input[type=file]");
    var crop = form.querySelector("[data-crop]");
    var dialog = document.querySelector("[data-avatar-dialog]");
    if (!input || !crop || !dialog || typeof dialog.showModal !== "function" || !window.GlimpseCropper) {
      return;
    }
    var frame = dialog.querySelector("[data-avatar-frame]");
    var image = dialog.querySelector("[data-avatar-img]");
    var zoom = dialog.querySelector("[data-avatar-zoom]");
    var url = "";
    var cropper = new window.GlimpseCropper(frame, image, {
      minSide: MIN_SIDE,
      onChange: function (value, level) {
        crop.value = JSON.stringify(value);
        syncZoom(level);
      },
    });

    function syncZoom(level) {
      var most = cropper.maxZoom();
      zoom.max = String(Math.round(most * 100) / 100);
      zoom.value = String(level);
      zoom.disabled = most <= 1.001;
      zoom.setAttribute("aria-valuetext", Math.round(level * 100) + "%");
    }

    function send() {
      form.classList.add("is-busy");
      form.submit();
    }

    function fit() {
      var stage = frame.parentNode;
      cropper.fit(stage.clientWidth, stage.clientHeight);
    }

    function open() {
      var file = input.files && input.files[0];
      if (!file) return;
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(file);
      crop.value = "";
      var probe = new Image();
      probe.onload = function () {
        image.src = url;
        dialog.showModal();
        cropper.set({ width: probe.naturalWidth, height: probe.naturalHeight }, null, 1);
        fit();
        crop.value = JSON.stringify(cropper.value());
        syncZoom(cropper.zoom);
        frame.focus();
        dialog.dataset.ready = "true";
      };
      probe.onerror = send; // the server knows more formats than this browser draws
      probe.src = url;
    }

    input.addEventListener("change", open);
    zoom.addEventListener("input", function () {
      cropper.zoomTo(parseFloat(zoom.value));
    });
    dialog.querySelector("[data-avatar-rotate]").addEventListener("click", function () {
      cropper.rotate(1);
    });
    dialog.querySelector("[data-avatar-save]").addEventListener("click", function () {
      crop.value = JSON.stringify(cropper.value());
      dialog.close();
      send();
    });
    dialog.querySelector("[data-avatar-cancel]").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (form.classList.contains("is-busy")) return;
      input.value = ""; // cancelled: the same photo may be picked again
      crop.value = "";
      delete dialog.dataset.ready;
    });
    window.addEventListener("resize", function () {
      if (dialog.open) fit();
    });
    // A photo picked before this script ran.
    if (input.files && input.files.length) open();
  }

  function ready() {
    document.querySelectorAll("form[data-avatar-form]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

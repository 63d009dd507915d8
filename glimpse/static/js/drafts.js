// Drafts and scheduled posts: a time picked in a schedule form is read in this browser's
// time zone (its IANA name goes with the form; without script, the draft's own zone).
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function ready(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }

  ready(function () {
    var zone = browserZone();
    if (!zone) return;
    document.querySelectorAll("[data-drafts] .draft__schedule-form").forEach(function (form) {
      var field = form.querySelector("[data-time-zone]");
      var name = form.querySelector("[data-time-zone-name]");
      var input = form.querySelector("input[type=datetime-local]");
      if (field.value !== zone && input.value) {
        // Show the scheduled time in this browser's zone, as it will be read.
        var at = new Date(form.closest("[data-draft]").querySelector("time").getAttribute("datetime"));
        var local = new Date(at.getTime() - at.getTimezoneOffset() * 60000);
        input.value = local.toISOString().slice(0, 16);
      }
      field.value = zone;
      if (name) name.textContent = zone;
    });
  });
})();

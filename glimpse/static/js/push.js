// The "Push notifications on this device" switch of the settings page (docs/webapp.md).
// Permission is asked only when the person turns the switch on (a gesture of theirs); the
// browser's subscription goes to the API with the session's CSRF token, and turning the
// switch off drops it on both sides.
(function () {
  "use strict";

  var BLOCKED =
    "Notifications are blocked for this site. Allow them in your browser's site settings, then reload this page.";
  var UNSUPPORTED =
    "This browser can't get push notifications here. On iPhone and iPad, add Glimpse to your Home Screen first.";
  var ON = "On: this device gets your notifications, even when Glimpse is closed.";
  var OFF = "Off: turn on to get your notifications on this device.";

  function ready(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }

  // The server key as PushManager.subscribe() takes it (base64url to bytes).
  function keyBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription, key) {
    var given = subscription.options && subscription.options.applicationServerKey;
    if (!given) return true; // the browser does not say: take it as ours
    var bytes = new Uint8Array(given);
    return bytes.length === key.length && bytes.every(function (value, i) {
      return value === key[i];
    });
  }

  function setup(root) {
    var toggle = root.querySelector("[data-push-toggle]");
    var status = root.querySelector("[data-push-status]");
    var known = JSON.parse(document.getElementById("push-endpoints").textContent || "[]");
    var key = keyBytes(root.dataset.key);

    function say(text) {
      status.textContent = text;
    }

    function show(on) {
      toggle.checked = on;
      say(on ? ON : OFF);
    }

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          "X-CSRFToken": root.dataset.csrf,
        },
        body: JSON.stringify(body),
      }).then(function (response) {
        if (response.ok) return response;
        return response.json().then(
          function (data) {
            throw new Error((data && data.error && data.error.message) || "Glimpse refused it.");
          },
          function () {
            throw new Error("Glimpse refused it (" + response.status + ").");
          }
        );
      });
    }

    // The worker app.js registers; a page where it never starts says so instead of waiting.
    function worker() {
      return Promise.race([
        navigator.serviceWorker.ready,
        new Promise(function (resolve, reject) {
          setTimeout(function () {
            reject(new Error("Glimpse's app part did not start here. Reload the page and try again."));
          }, 10000);
        }),
      ]);
    }

    function turnOn() {
      return Promise.resolve(Notification.requestPermission())
        .then(function (permission) {
          if (permission === "denied") throw new Error(BLOCKED);
          if (permission !== "granted") throw new Error("Notifications were not allowed. " + OFF);
          return worker();
        })
        .then(function (registration) {
          return registration.pushManager.getSubscription().then(function (existing) {
            // One made with an older server key cannot be pushed to any more.
            if (existing && !sameKey(existing, key)) {
              return existing.unsubscribe().then(function () {
                return null;
              });
            }
            return existing;
          }).then(function (existing) {
            return (
              existing ||
              registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key })
            );
          });
        })
        .then(function (subscription) {
          return post(root.dataset.subscribe, subscription.toJSON()).then(function () {
            known.push(subscription.endpoint);
            return true;
          });
        });
    }

    function turnOff() {
      return worker()
        .then(function (registration) {
          return registration.pushManager.getSubscription();
        })
        .then(function (subscription) {
          if (!subscription) return false;
          return post(root.dataset.unsubscribe, { endpoint: subscription.endpoint }).then(function () {
            return subscription.unsubscribe().then(function () {
              return false;
            });
          });
        });
    }

    if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
      say(UNSUPPORTED);
      return;
    }
    if (Notification.permission === "denied") {
      say(BLOCKED);
      return;
    }
    say("Checking this device…");
    worker()
      .then(function (registration) {
        return registration.pushManager.getSubscription();
      })
      .then(function (subscription) {
        toggle.disabled = false;
        show(Boolean(subscription) && known.indexOf(subscription.endpoint) !== -1 && sameKey(subscription, key));
      })
      .catch(function (error) {
        say(error && error.message ? error.message : UNSUPPORTED);
      });

    toggle.addEventListener("change", function () {
      var wanted = toggle.checked;
      toggle.disabled = true;
      say(wanted ? "Turning on…" : "Turning off…");
      (wanted ? turnOn() : turnOff())
        .then(show, function (error) {
          toggle.checked = !wanted;
          say(error && error.message ? error.message : "That didn't work. Try again.");
        })
        .then(function () {
          toggle.disabled = Notification.permission === "denied";
        });
    });
  }

  ready(function () {
    var root = document.querySelector("[data-push]");
    if (root) setup(root);
  });
})();

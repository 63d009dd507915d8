// The installable app on every page (docs/webapp.md): registers the service worker, tries
// the offline page again once the network is back, stops this browser's push notifications
// when its account logs out, and hands files shared from another app to the composer.
(function () {
  "use strict";

  var script = document.currentScript;
  var SHARE_CACHE = "glimpse-share"; // filled by the service worker's share target
  var config = script ? script.dataset : {};

  function noop() {}

  if ("serviceWorker" in navigator && config.serviceWorker) {
    // After the page has loaded: installing the worker fetches the shell, which must not
    // compete with the page's own first requests.
    var register = function () {
      navigator.serviceWorker.register(config.serviceWorker, { scope: "/" }).catch(noop);
    };
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
  }

  // The offline page (shown in place of the page asked for) reloads it when back online.
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.body || !document.body.hasAttribute("data-offline")) return;
    window.addEventListener("online", function () {
      window.location.reload();
    });
    var retry = document.querySelector("[data-offline-retry]");
    if (retry) {
      retry.addEventListener("click", function (event) {
        event.preventDefault();
        window.location.reload();
      });
    }
  });

  // Logging out: the next account on this browser must not get the last one's pushes.
  // The browser's subscription is dropped (and the server told) before the form goes.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.pushChecked) return;
    if (!config.logout || form.getAttribute("action") !== config.logout) return;
    if (!("serviceWorker" in navigator)) return;
    event.preventDefault();
    form.dataset.pushChecked = "true";
    var sent = false;
    function send() {
      if (sent) return;
      sent = true;
      form.submit();
    }
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    setTimeout(send, 2000); // never hold a logout up for long
    navigator.serviceWorker
      .getRegistration()
      .then(function (registration) {
        return registration && registration.pushManager
          ? registration.pushManager.getSubscription()
          : null;
      })
      .then(function (subscription) {
        if (!subscription) return null;
        return fetch(config.unsubscribe, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/json",
            "X-CSRFToken": token ? token.value : "",
          },
          body: JSON.stringify({ endpoint: subscription.endpoint }),
        })
          .catch(noop)
          .then(function () {
            return subscription.unsubscribe();
          });
      })
      .catch(noop)
      .then(send);
  });

  // For the composer: the files (and text) shared into Glimpse from another app, taken out
  // of the service worker's cache once. Resolves to {files: [File], text: ""}.
  window.glimpseShared = function () {
    var shared = { files: [], text: "" };
    if (!window.caches) return Promise.resolve(shared);
    return caches
      .open(SHARE_CACHE)
      .then(function (cache) {
        return cache.keys().then(function (requests) {
          var files = [];
          return Promise.all(
            requests.map(function (request) {
              return cache.match(request).then(function (response) {
                if (!response) return null;
                var index = /\/file\/(\d+)$/.exec(request.url);
                if (!index) {
                  return response.text().then(function (text) {
                    shared.text = text;
                  });
                }
                return response.blob().then(function (blob) {
                  var name = decodeURIComponent(response.headers.get("X-File-Name") || "shared");
                  files[Number(index[1])] = new File([blob], name, { type: blob.type });
                });
              });
            })
          ).then(function () {
            shared.files = files.filter(Boolean); // in the order they were shared
          });
        });
      })
      .then(function () {
        return caches.delete(SHARE_CACHE);
      })
      .then(
        function () {
          return shared;
        },
        function () {
          return shared;
        }
      );
  };
})();

// Glimpse's service worker (docs/webapp.md), served from /sw.js so that its scope is the site.
//
// - Install: caches the app shell (stylesheets, scripts, icons, the offline page) under a
//   name carrying the static files' version; a new version makes a new worker, which drops
//   the old cache once it takes over.
// - Pages: always from the network; when it cannot be reached, the offline page. Pages are
//   never stored: what one account saw is never shown to another, nor after logging out.
// - Static files: from the versioned cache, else the network (and kept for next time).
// - The API, media files and everything else: the network, untouched.
// - The share target: files shared from another app are kept in the "glimpse-share" cache
//   and the composer is opened, which takes them (app.js, glimpseShared()).
// - Push: shows the notification the server sent; a tap opens (or focuses) its page.
"use strict";

var CONFIG = {{ config }};
var SHELL_CACHE = "glimpse-shell-" + CONFIG.version;
var SHELL_PREFIX = "glimpse-shell-";
var SHARE_CACHE = "glimpse-share";
var SHARE_PREFIX = "/__glimpse-share/"; // the shared files' keys in that cache (no server path)

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then(function (cache) {
        var requests = CONFIG.shell.map(function (url) {
          return new Request(url, { cache: "reload" });
        });
        // The offline page is the same for everyone: fetched without the session's cookies.
        requests.push(new Request(CONFIG.offline, { cache: "reload", credentials: "omit" }));
        return cache.addAll(requests);
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(SHELL_PREFIX) === 0 && name !== SHELL_CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.share) {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(pageOrOffline(request));
  } else if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(staticFile(request));
  }
});

function pageOrOffline(request) {
  return fetch(request).catch(function () {
    return caches.match(CONFIG.offline, { cacheName: SHELL_CACHE }).then(function (page) {
      return page || Response.error();
    });
  });
}

function staticFile(request) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(request).then(function (kept) {
      if (kept) return kept;
      return fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
    });
  });
}

// The share target's POST: keep the files (and any text) for the composer, then open it.
function receiveShare(request) {
  return request
    .formData()
    .then(function (form) {
      var files = form.getAll("media").filter(function (file) {
        return file && typeof file !== "string" && file.size > 0;
      });
      var text = ["title", "text", "url"]
        .map(function (name) {
          var value = form.get(name);
          return typeof value === "string" ? value.trim() : "";
        })
        .filter(Boolean)
        .join(" ");
      return caches.delete(SHARE_CACHE).then(function () {
        return caches.open(SHARE_CACHE).then(function (cache) {
          var kept = files.map(function (file, index) {
            var headers = {
              "Content-Type": file.type || "application/octet-stream",
              "X-File-Name": encodeURIComponent(file.name || "shared-" + (index + 1)),
            };
            return cache.put(SHARE_PREFIX + "file/" + index, new Response(file, { headers: headers }));
          });
          if (text) kept.push(cache.put(SHARE_PREFIX + "text", new Response(text)));
          return Promise.all(kept);
        });
      });
    })
    .then(
      function () {
        return Response.redirect(CONFIG.composer + "?shared=1", 303);
      },
      function () {
        return Response.redirect(CONFIG.composer, 303);
      }
    );
}

self.addEventListener("push", function (event) {
  var message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (ignored) {
    message = { body: event.data ? event.data.text() : "" };
  }
  var options = {
    body: message.body || "",
    icon: message.icon || undefined,
    badge: message.badge || undefined,
    image: message.image || undefined,
    tag: message.tag || undefined,
    renotify: Boolean(message.tag),
    timestamp: message.timestamp || Date.now(),
    data: { url: message.url || "/" },
  };
  event.waitUntil(self.registration.showNotification(message.title || "Glimpse", options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      var same = windows.find(function (client) {
        return client.url === target.href;
      });
      if (same) return same.focus();
      var open = windows.find(function (client) {
        return new URL(client.url).origin === self.location.origin && "navigate" in client;
      });
      if (open) {
        return open.focus().then(function (client) {
          return (client || open).navigate(target.href);
        });
      }
      return self.clients.openWindow(target.href);
    })
  );
});

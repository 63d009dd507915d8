// The account's live events: one websocket to /ws/ with the web session, kept open.
// Every event (and "refetch", which means "reload your state") is dispatched on document as
// a "glimpse:event" CustomEvent; other scripts listen to that. The last event id is kept in
// sessionStorage, so a reconnect (after a network drop or a page load) resumes from it and
// the server replays what was missed.
(function () {
  "use strict";

  var KEY = "glimpse:last-event-id";
  var PROTOCOL_KINDS = { ready: true, pong: true, error: true };
  var MAX_DELAY = 30000;
  var PING_EVERY = 25000;
  var attempts = 0;
  var socket = null;
  var pinger = null;
  var retry = null;
  var leaving = false;

  function lastId() {
    try {
      return window.sessionStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  function remember(id) {
    try {
      // Ids are decimal strings of 64-bit numbers: compare them as such, never as floats.
      var current = lastId();
      if (!current || id.length > current.length || (id.length === current.length && id > current)) {
        window.sessionStorage.setItem(KEY, id);
      }
    } catch (e) {
      // Storage can be disabled; resuming is then simply not possible.
    }
  }

  function forget() {
    try {
      window.sessionStorage.removeItem(KEY);
    } catch (e) {
      // Nothing to forget.
    }
  }

  function url() {
    var id = lastId();
    var query = id ? "?last_event_id=" + encodeURIComponent(id) : "";
    // The server may name where its websockets are served (another port on one machine);
    // otherwise they are on this page's host.
    var configured = document.body && document.body.dataset.websocketUrl;
    if (configured) {
      return configured + query;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + "/ws/" + query;
  }

  function dispatch(event) {
    document.dispatchEvent(new CustomEvent("glimpse:event", { detail: event }));
  }

  function onMessage(message) {
    var event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (!event || typeof event.kind !== "string" || PROTOCOL_KINDS[event.kind]) {
      if (event && event.kind === "ready") {
        attempts = 0;
      }
      return;
    }
    if (event.kind === "refetch") {
      // The missed events are gone: start afresh from whatever comes next.
      forget();
    } else if (typeof event.id === "string") {
      remember(event.id);
    }
    dispatch(event);
  }

  function connect() {
    retry = null;
    if (!("WebSocket" in window) || leaving || socket) {
      return;
    }
    var current = new WebSocket(url());
    socket = current;
    current.addEventListener("message", onMessage);
    current.addEventListener("open", function () {
      pinger = window.setInterval(function () {
        if (current.readyState === WebSocket.OPEN) {
          current.send(JSON.stringify({ type: "ping" }));
        }
      }, PING_EVERY);
    });
    current.addEventListener("close", function (closing) {
      if (socket !== current) {
        // Already let go of when the page was left: a newer socket may be open by now.
        return;
      }
      window.clearInterval(pinger);
      socket = null;
      if (closing.code === 4401) {
        // Logged out or the session ended: reconnecting would be refused again.
        forget();
        return;
      }
      // A handshake the server refuses (the session is gone) arrives here as 1006, like a
      // server that cannot be reached: the browser does not tell the two apart to scripts,
      // so both are retried.
      // Exponential backoff with jitter, so a restarted server is not stampeded.
      var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempts));
      attempts += 1;
      retry = window.setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
    });
  }

  // Leaving the page (a navigation, or into the back-forward cache) closes the socket on
  // purpose and cancels any pending reconnect, so that a page on its way out opens no
  // socket; a page restored from that cache connects again and resumes from the last id.
  window.addEventListener("pagehide", function () {
    leaving = true;
    window.clearTimeout(retry);
    retry = null;
    window.clearInterval(pinger);
    if (socket) {
      var closing = socket;
      socket = null;
      // Only an open socket is closed here: closing one still in its handshake makes the
      // browser report a failed connection. The navigation ends that one anyway.
      if (closing.readyState === WebSocket.OPEN) {
        closing.close(1000);
      }
    }
  });
  window.addEventListener("pageshow", function (shown) {
    if (shown.persisted) {
      leaving = false;
      attempts = 0;
      connect();
    }
  });

  connect();
})();

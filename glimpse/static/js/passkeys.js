// Passkeys (docs/two-factor.md): add one in the two-factor settings, and use one at the
// second step of the log-in. The server makes the options and checks the answers; this
// only carries them between it and navigator.credentials, turning the binary fields into
// base64url text and back. Without support for passkeys, the page's forms for codes stay.
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i += 1) raw += String.fromCharCode(bytes[i]);
    return window.btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  // Answers are JSON; a refusal carries {"error": {"message"}} and maybe a page to go to.
  function post(url, csrf, body, isJson) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrf };
    if (isJson) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: isJson ? JSON.stringify(body) : body,
    }).then(function (response) {
      return response.json().then(
        function (data) {
          if (response.ok) return data;
          if (data && data.redirect) window.location.assign(data.redirect);
          throw new Error((data && data.error && data.error.message) || "Glimpse refused it.");
        },
        function () {
          throw new Error("Glimpse refused it (" + response.status + ").");
        }
      );
    });
  }

  function problem(error) {
    // The person closed the browser's dialog, or it timed out: say it plainly.
    if (error && error.name === "NotAllowedError") return "The passkey was not used. Try again.";
    if (error && error.name === "InvalidStateError") return "This passkey is registered already.";
    return (error && error.message) || "Something went wrong. Try again.";
  }

  function setupAdd(form) {
    var error = form.querySelector("[data-passkey-error]");
    var button = form.querySelector("button[type=submit]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var codes = document.querySelector("[data-passkey-codes]");
    var unsupported = document.querySelector("[data-passkey-unsupported]");
    form.hidden = false;
    if (unsupported) unsupported.hidden = true;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      button.disabled = true;
      post(form.action, csrf, new FormData(form), false)
        .then(function (options) {
          options.challenge = toBytes(options.challenge);
          options.user.id = toBytes(options.user.id);
          options.excludeCredentials = descriptors(options.excludeCredentials);
          return navigator.credentials.create({ publicKey: options });
        })
        .then(function (credential) {
          var response = credential.response;
          return post(
            form.dataset.finish,
            csrf,
            {
              id: credential.id,
              rawId: toText(credential.rawId),
              type: credential.type,
              authenticatorAttachment: credential.authenticatorAttachment || null,
              clientExtensionResults: credential.getClientExtensionResults(),
              response: {
                clientDataJSON: toText(response.clientDataJSON),
                attestationObject: toText(response.attestationObject),
                transports: response.getTransports ? response.getTransports() : [],
              },
            },
            true
          );
        })
        .then(function (data) {
          if (data.recovery_codes && codes) {
            var list = codes.querySelector("[data-passkey-code-list]");
            data.recovery_codes.forEach(function (code) {
              var item = document.createElement("li");
              var text = document.createElement("code");
              text.textContent = code;
              item.appendChild(text);
              list.appendChild(item);
            });
            form.hidden = true;
            codes.hidden = false;
            codes.scrollIntoView({ block: "nearest" });
            return;
          }
          window.location.assign(data.redirect);
        })
        .catch(function (failure) {
          error.textContent = problem(failure);
          error.hidden = false;
          button.disabled = false;
        });
    });
  }

  function setupLogin(root) {
    var error = root.querySelector("[data-passkey-error]");
    var button = root.querySelector("[data-passkey-start]");
    root.hidden = false;

    button.addEventListener("click", function () {
      error.hidden = true;
      button.disabled = true;
      post(root.dataset.options, root.dataset.csrf, {}, true)
        .then(function (options) {
          options.challenge = toBytes(options.challenge);
          options.allowCredentials = descriptors(options.allowCredentials);
          return navigator.credentials.get({ publicKey: options });
        })
        .then(function (credential) {
          var response = credential.response;
          return post(
            root.dataset.finish,
            root.dataset.csrf,
            {
              id: credential.id,
              rawId: toText(credential.rawId),
              type: credential.type,
              authenticatorAttachment: credential.authenticatorAttachment || null,
              clientExtensionResults: credential.getClientExtensionResults(),
              response: {
                clientDataJSON: toText(response.clientDataJSON),
                authenticatorData: toText(response.authenticatorData),
                signature: toText(response.signature),
                userHandle: toText(response.userHandle),
              },
            },
            true
          );
        })
        .then(function (data) {
          window.location.assign(data.redirect);
        })
        .catch(function (failure) {
          error.textContent = problem(failure);
          error.hidden = false;
          button.disabled = false;
        });
    });
  }

  ready(function () {
    if (!window.PublicKeyCredential || !navigator.credentials) return;
    var form = document.querySelector("[data-passkey-add]");
    if (form) setupAdd(form);
    var login = document.querySelector("[data-passkey-login]");
    if (login) setupLogin(login);
  });
})();

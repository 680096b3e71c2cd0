// Warns before the idle session limit ends the session (WCAG 2.2.1 Timing Adjustable):
// two minutes ahead a dialog offers to stay signed in; one request restarts the period.
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var seconds = parseInt(dialog.dataset.seconds, 10);
  var warn = parseInt(dialog.dataset.warn, 10);
  var button = document.getElementById("session-extend");
  var text = document.getElementById("session-warning-text");
  var login = document.getElementById("session-login");
  var warnTimer = null;
  var endTimer = null;

  function schedule(total) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(show, Math.max(total - warn, 0) * 1000);
    endTimer = window.setTimeout(ended, total * 1000);
  }

  function show() {
    if (!dialog.open) {
      dialog.showModal();
    }
    button.focus();
  }

  function ended() {
    text.textContent = text.dataset.ended;
    button.hidden = true;
    login.hidden = false;
    show();
    login.querySelector("a").focus();
  }

  function extend() {
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", dialog.dataset.csrf);
    fetch(dialog.dataset.extendUrl, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.status === 204) {
          dialog.close();
          schedule(seconds);
        } else {
          ended();
        }
      })
      .catch(ended);
  }

  button.addEventListener("click", function () {
    if (button.dataset.close) {
      dialog.close();
    } else {
      extend();
    }
  });
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault(); // Escape must not hide the warning without an answer
  });
  schedule(seconds);
})();

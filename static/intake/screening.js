// Autosave at the gate: htmx posts the draft as the officer types (see screening_form.html).
// This file covers what htmx does not: a lost connection, and completing while a save is in flight.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) {
    return;
  }
  var status = function () { return document.getElementById("autosave-status"); };

  // A failed save keeps everything in the form; say so and send again when the network is back.
  function offline() {
    var el = status();
    if (el) {
      el.className = "small text-warning";
      el.textContent = form.dataset.offlineText || "Not saved yet: no connection. Keep typing, it will be sent when the connection is back.";
    }
  }
  form.addEventListener("htmx:sendError", offline);
  form.addEventListener("htmx:responseError", offline);
  window.addEventListener("online", function () {
    if (window.htmx) {
      window.htmx.trigger(form, "change");
    }
  });

  // Completing posts the version the form holds; wait for a save in flight to bring the new one.
  form.addEventListener("submit", function (event) {
    if (!form.classList.contains("htmx-request")) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    var wait = function () {
      if (form.classList.contains("htmx-request")) {
        window.setTimeout(wait, 100);
      } else {
        form.requestSubmit(submitter);
      }
    };
    wait();
  });
})();

// The group reception sitting (templates/returns/reception/sitting.html): autosave of every card.
//
// Every change in a member's card is kept on this device (localStorage) at once, then sent,
// debounced, to the card's draft endpoint as JSON with the member's version in If-Match. A save
// that fails for want of a connection stays on the device and is sent again when the connection
// returns; a version conflict (412) keeps the text and says so. After a reload, text that was not
// saved is put back into its card. Without this file every card is a plain form.
(function () {
  "use strict";
  var root = document.getElementById("sitting");
  if (!root || !window.fetch || !window.JSON) {
    return;
  }
  var DELAY = 800;
  var RETRY = 20000;
  var PREFIX = "shield.reception.draft.";
  var texts = root.dataset;

  function store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function keep(member, entry) {
    var s = store();
    if (s) {
      try {
        s.setItem(PREFIX + member, JSON.stringify(entry));
      } catch (e) { /* full or refused: the card still holds the text */ }
    }
  }

  function kept(member) {
    var s = store();
    if (!s) {
      return null;
    }
    try {
      return JSON.parse(s.getItem(PREFIX + member) || "null");
    } catch (e) {
      return null;
    }
  }

  function forget(member) {
    var s = store();
    if (s) {
      s.removeItem(PREFIX + member);
    }
  }

  function draftOf(form) {
    var draft = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var name = el.name;
      if (!name || name === "csrfmiddlewaretoken" || name === "version" || name === "action") {
        return;
      }
      if (el.type === "checkbox") {
        draft[name] = el.checked;
      } else if (el.type === "radio") {
        if (!(name in draft)) {
          draft[name] = "";
        }
        if (el.checked) {
          draft[name] = el.value;
        }
      } else {
        draft[name] = el.value;
      }
    });
    return draft;
  }

  function fill(form, draft) {
    Object.keys(draft).forEach(function (name) {
      var value = draft[name];
      var fields = form.querySelectorAll('[name="' + name + '"]');
      Array.prototype.forEach.call(fields, function (el) {
        if (el.type === "checkbox") {
          el.checked = !!value;
        } else if (el.type === "radio") {
          el.checked = el.value === value;
        } else if (el.tagName === "SELECT" && el.name === "commune" && value &&
                   !el.querySelector('option[value="' + value + '"]')) {
          el.dataset.wanted = value; // filled once the province's communes are loaded
        } else {
          el.value = value;
        }
      });
    });
  }

  function Card(form) {
    this.form = form;
    this.member = form.dataset.member;
    this.url = form.dataset.draftUrl;
    this.version = form.querySelector('input[name="version"]');
    this.status = form.closest("section").querySelector("[data-autosave-status]");
    this.timer = null;
    this.busy = false;
    this.again = false;
    this.conflict = false;
  }

  Card.prototype.say = function (kind, text) {
    if (!this.status) {
      return;
    }
    var css = {saved: "text-success", saving: "text-muted", offline: "text-warning", conflict: "text-danger"};
    this.status.className = "small " + (css[kind] || "text-muted");
    this.status.dataset.state = kind;
    this.status.textContent = text;
    if (kind === "conflict" && texts.textDiscard) {
      // The choice is the officer's: keep their text (the Save button) or take the saved card.
      var member = this.member;
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "btn btn-link btn-sm p-0 ms-1 align-baseline";
      discard.dataset.testid = "discard-local";
      discard.textContent = texts.textDiscard;
      discard.addEventListener("click", function () {
        forget(member);
        window.location.reload();
      });
      this.status.appendChild(discard);
    }
  };

  Card.prototype.changed = function () {
    var entry = kept(this.member) || {};
    keep(this.member, {
      draft: draftOf(this.form),
      version: entry.dirty && entry.version ? entry.version : this.version.value,
      dirty: true
    });
    if (this.conflict) {
      this.say("conflict", texts.textConflict);
      return;
    }
    window.clearTimeout(this.timer);
    var card = this;
    this.timer = window.setTimeout(function () { card.send(); }, DELAY);
  };

  Card.prototype.send = function () {
    var entry = kept(this.member);
    if (!entry || !entry.dirty || this.conflict) {
      return;
    }
    if (this.busy) {
      this.again = true;
      return;
    }
    if (navigator.onLine === false) {
      this.say("offline", texts.textOffline);
      return;
    }
    this.busy = true;
    this.say("saving", texts.textSaving);
    var card = this;
    var token = this.form.querySelector('input[name="csrfmiddlewaretoken"]');
    fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "If-Match": '"' + entry.version + '"',
        "X-CSRFToken": token ? token.value : ""
      },
      body: JSON.stringify({draft: entry.draft})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        card.busy = false;
        if (response.ok) {
          card.version.value = String(body.version);
          var now = kept(card.member);
          if (now && JSON.stringify(now.draft) !== JSON.stringify(entry.draft)) {
            // Typed while the save was in flight: send the rest on the new version.
            keep(card.member, {draft: now.draft, version: String(body.version), dirty: true});
            card.send();
          } else {
            forget(card.member);
            card.say("saved", texts.textSaved);
          }
        } else if (response.status === 412 || response.status === 409) {
          card.conflict = true;
          card.say("conflict", body.detail || texts.textConflict);
        } else if (response.status >= 500) {
          card.say("offline", texts.textOffline);
        } else {
          card.say("conflict", body.detail || texts.textRefused);
        }
        if (card.again) {
          card.again = false;
          card.send();
        }
      });
    }).catch(function () {
      card.busy = false;
      card.say("offline", texts.textOffline);
    });
  };

  Card.prototype.restore = function () {
    var entry = kept(this.member);
    if (!entry || !entry.dirty) {
      return;
    }
    fill(this.form, entry.draft || {});
    this.say("offline", texts.textRestored);
    this.send();
  };

  function loadCommunes(form, province) {
    var select = form.querySelector('select[name="commune"]');
    if (!select) {
      return;
    }
    var wanted = select.dataset.wanted || select.value;
    fetch(root.dataset.communesUrl + "?province=" + encodeURIComponent(province), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {communes: []}; })
      .then(function (body) {
        while (select.options.length > 1) {
          select.remove(1);
        }
        body.communes.forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.code;
          option.textContent = c.name;
          select.appendChild(option);
        });
        if (wanted && select.querySelector('option[value="' + wanted + '"]')) {
          select.value = wanted;
        }
        delete select.dataset.wanted;
      })
      .catch(function () { /* offline: the no-JS button lists them later */ });
  }

  var cards = [];
  Array.prototype.forEach.call(document.querySelectorAll("form[data-sitting-card]"), function (form) {
    var card = new Card(form);
    cards.push(card);
    form.addEventListener("input", function () { card.changed(); });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "province") {
        loadCommunes(form, event.target.value);
      }
      card.changed();
    });
    form.addEventListener("submit", function (event) {
      // The buttons post the whole card; wait for a save in flight so the version is current.
      if (card.busy) {
        event.preventDefault();
        var submitter = event.submitter;
        var wait = function () {
          if (card.busy) {
            window.setTimeout(wait, 100);
          } else {
            form.requestSubmit(submitter);
          }
        };
        wait();
        return;
      }
      window.clearTimeout(card.timer);
      if (navigator.onLine !== false) {
        forget(card.member);
      }
    });
    card.restore();
    var commune = form.querySelector('select[name="commune"]');
    var province = form.querySelector('select[name="province"]');
    if (commune && commune.dataset.wanted && province && province.value) {
      loadCommunes(form, province.value);
    }
  });

  function retry() {
    cards.forEach(function (card) { card.send(); });
  }
  window.addEventListener("online", retry);
  window.setInterval(retry, RETRY);
})();

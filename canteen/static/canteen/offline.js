/* The day view's forms survive a network cut (the kitchen's Wi-Fi drops).
 *
 * The day page draws the one-tap buttons only; a full form (<details data-src>) is fetched into the
 * page when it is opened, and works offline from then on like the rest.
 *
 * A form marked data-offline is sent with fetch. If the network is gone, what was typed (files
 * included) goes into IndexedDB with the time the button was pressed (`recorded_at`), and is sent
 * when the connection returns: on the `online` event and whenever a canteen page opens. Each form
 * carries a record id (`uid`) made when the page was drawn; the server stores a uid once and answers
 * 409 to a replay, so a form sent twice is one record.
 */
(function () {
  "use strict";
  var DB = "canteen-offline", STORE = "queue", HEADER = "X-Canteen-Offline";
  var banner = document.querySelector("[data-offline-banner]");
  var countEl = document.querySelector("[data-queued-count]");

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        result = fn(t.objectStore(STORE));
      });
    });
  }

  function all() {
    return tx("readonly", function (store) {
      var out = [];
      store.openCursor().onsuccess = function (e) {
        var cursor = e.target.result;
        if (cursor) { out.push(cursor.value); cursor.continue(); }
      };
      return out;
    });
  }

  function enqueue(action, data) {
    var entries = [];
    data.forEach(function (value, key) { entries.push([key, value]); });
    return tx("readwrite", function (store) { store.add({ action: action, entries: entries, queued_at: new Date().toISOString() }); });
  }

  function remove(id) { return tx("readwrite", function (store) { store.delete(id); }); }

  function show() {
    all().then(function (items) {
      if (!banner) { return; }
      var offline = !navigator.onLine;
      banner.classList.toggle("d-none", !offline && items.length === 0);
      banner.dataset.queued = String(items.length);
      if (countEl) { countEl.textContent = items.length ? (banner.dataset.waitingLabel || "") + " " + items.length : ""; }
    });
  }

  function send(action, data) {
    var headers = {};
    headers[HEADER] = "1";
    return fetch(action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual", headers: headers });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    var sent = 0;
    return all().then(function (items) {
      var chain = Promise.resolve();
      items.forEach(function (item) {
        chain = chain.then(function () {
          var data = new FormData();
          // The token of this page: the one stored may be stale (the person signed in again since).
          var current = document.querySelector("[name=csrfmiddlewaretoken]");
          item.entries.forEach(function (pair) {
            data.append(pair[0], pair[0] === "csrfmiddlewaretoken" && current ? current.value : pair[1]);
          });
          return send(item.action, data).then(function (response) {
            // 201 stored, 409 already stored, 400 refused: none of them is worth sending again.
            if (response.status === 400) {
              return response.json().then(function (body) {
                var box = document.createElement("div");
                box.className = "alert alert-danger";
                box.dataset.offlineRefused = "1";
                box.textContent = Object.keys(body.errors || {}).map(function (k) { return body.errors[k].join(" "); }).join(" ");
                document.querySelector("main, body").prepend(box);
              }).then(function () { return remove(item.id); });
            }
            if (response.status === 201 || response.status === 409) { sent += 1; return remove(item.id); }
            // Anything else (signed out: the login page; a refused token; the server down) keeps the
            // record on the phone for the next try.
            throw new Error("server " + response.status);
          });
        });
      });
      return chain;
    }).catch(function () { /* still offline or the server is down: try again later */ })
      .then(function () {
        flushing = false;
        show();
        if (sent && document.querySelector("[data-summary]")) { window.location.reload(); }
      });
  }

  function newUid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  // Not `form.action`: a form with a field named "action" (晨检的处理措施) would give that field.
  function target(form) { return new URL(form.getAttribute("action") || "", window.location.href).href; }

  function keep(form, data) {
    return enqueue(target(form), data).then(function () {
      var button = form.lastSubmitter || form.querySelector("[type=submit]");
      if (button) { button.disabled = true; button.classList.add("btn-secondary"); button.dataset.queued = "1"; }
      var uid = form.querySelector("[name=uid]");
      if (uid) { uid.value = newUid(); }
      form.dataset.queued = "1";
      show();
    });
  }

  // Recorded: back to the day (a form page) or the day drawn again with the new record.
  function done(form) {
    if (form.dataset.doneUrl) { window.location.assign(form.dataset.doneUrl); } else { window.location.reload(); }
  }

  // A full form, fetched when its <details> opens; without network it says so and tries again on the next opening.
  function load(details) {
    var body = details.querySelector("[data-form-body]");
    if (!body || details.dataset.loaded) { return; }
    details.dataset.loaded = "loading";
    var url = new URL(details.getAttribute("data-src"), window.location.href);
    url.searchParams.set("fragment", "1");
    fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error("form " + response.status); }
      return response.text();
    }).then(function (html) {
      body.innerHTML = html;
      details.dataset.loaded = "1";
    }).catch(function () {
      delete details.dataset.loaded;
      var note = body.querySelector("[data-form-unavailable]") || document.createElement("div");
      note.className = "small text-body-secondary";
      note.dataset.formUnavailable = "1";
      note.textContent = (banner && banner.getAttribute("data-form-offline")) || "";
      body.prepend(note);
    });
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches("details[data-src]") && details.open) { load(details); }
  }, true);
  Array.prototype.forEach.call(document.querySelectorAll("details[data-src][open]"), load);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline]")) { return; }
    event.preventDefault();
    var stamp = form.querySelector("[name=recorded_at]");
    if (stamp) { stamp.value = new Date().toISOString(); }
    var data = new FormData(form);
    // A form of several one-tap buttons (the morning checks): the button tapped carries whose record it is.
    var by = event.submitter;
    if (by && by.name && !data.has(by.name)) { data.append(by.name, by.value); }
    form.lastSubmitter = by;
    if (!navigator.onLine) { keep(form, data); return; }
    send(target(form), data).then(function (response) {
      if (response.status === 400) {  // the form's page draws the errors next to the fields
        if (by && by.name) {
          var carried = document.createElement("input");
          carried.type = "hidden"; carried.name = by.name; carried.value = by.value;
          form.appendChild(carried);
        }
        form.submit();
        return;
      }
      if (response.status === 201 || response.status === 409) { done(form); return; }
      keep(form, data);  // signed out or the server is down: kept on the phone, sent later
    }, function () { keep(form, data); });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  if (banner) { banner.dataset.waitingLabel = banner.getAttribute("data-waiting-label") || ""; }
  show();
  flush();
})();

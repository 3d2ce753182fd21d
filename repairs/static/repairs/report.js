// The report form: a searchable room picker (tom-select; the plain <select> works without it),
// the open tickets of the chosen room, and one submission per tap (the server also refuses a
// second ticket for the same form token).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var room = form.querySelector("[data-room-select]");
  var similar = document.getElementById("similar");

  function refreshSimilar() {
    var checked = form.querySelector("input[name=category]:checked");
    if (!room.value) { similar.innerHTML = ""; return; }
    var url = similar.dataset.url + "?room=" + encodeURIComponent(room.value) + (checked ? "&category=" + encodeURIComponent(checked.value) : "");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { similar.innerHTML = html; })
      .catch(function () {});
  }

  if (window.TomSelect && room) {
    // Close and blur once a room is chosen: an open list (or the taller focused control) would
    // swallow the next tap, meant for a category, or make the buttons below jump under the finger.
    new TomSelect(room, {
      maxOptions: 500, searchField: ["text", "keywords"], placeholder: room.options[0].text, closeAfterSelect: true,
      onChange: function () {
        var picker = this;
        var settle = function () { picker.close(); picker.blur(); };
        // Now, and again after tom-select has finished its own handling of the tap (which may focus
        // the input and open the list again on a slow phone).
        settle();
        [0, 60, 250].forEach(function (ms) { setTimeout(settle, ms); });
        refreshSimilar();
      }
    });
  } else if (room) {
    room.addEventListener("change", refreshSimilar);
  }
  form.querySelectorAll("input[name=category]").forEach(function (el) { el.addEventListener("change", refreshSimilar); });

  form.addEventListener("submit", function () {
    var button = form.querySelector("[data-submit-once]");
    if (!button) return;
    // Disable after the browser has taken the submission, so the first tap still submits.
    setTimeout(function () { button.disabled = true; button.textContent = button.dataset.busyLabel; }, 0);
  });
})();

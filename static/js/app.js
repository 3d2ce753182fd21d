// Behaviour every page shares. Handlers live here, not in HTML attributes: the
// Content-Security-Policy allows no inline handlers.
(function () {
  "use strict";
  // <form data-confirm="…">: ask before submitting (issuing a report, and the like).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();

// The repairer's part of the ticket page:
// - choosing one of the school's common materials (the <datalist>) fills its unit and price;
// - a material typed but not added goes with 维修完成 (the done form's pending-* fields), so the
//   server records it with done, or refuses done and shows the line again. Nothing is dropped.
(function () {
  "use strict";
  var material = document.getElementById("material-form");
  if (!material) return;
  var name = material.querySelector("[data-material-name]");
  var unit = material.querySelector("[data-material-unit]");
  var price = material.querySelector("[data-material-price]");
  var list = document.getElementById("common-materials");

  function fillFromList() {
    if (!list || !name) return;
    var chosen = null;
    list.querySelectorAll("option").forEach(function (option) {
      if (option.value === name.value.trim()) chosen = option;
    });
    if (!chosen) return;
    if (unit) unit.value = chosen.dataset.unit || "";
    if (price) price.value = chosen.dataset.price || "";
  }
  if (name) {
    name.addEventListener("input", fillFromList);
    name.addEventListener("change", fillFromList);
  }

  var done = document.getElementById("done-form");
  if (!done) return;
  done.addEventListener("submit", function () {
    done.querySelectorAll("[data-pending]").forEach(function (hidden) {
      var source = material.querySelector("[name=" + hidden.dataset.pending + "]");
      hidden.value = source ? source.value : "";
    });
  });
})();

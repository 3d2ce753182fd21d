// The repairer's part of the ticket page:
// - choosing one of the school's common materials (the <datalist>) fills its unit and price, and
//   choosing a row of the consumables store fills its name, unit and average cost;
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

  // A row of the store: its name, unit and average cost are the line's (the server takes them from
  // the store whatever is typed); the typed fields are shown read-only meanwhile.
  var stock = material.querySelector("[data-material-stock]");
  function fillFromStock() {
    var chosen = stock.options[stock.selectedIndex];
    var fromStore = !!stock.value;
    [name, unit, price].forEach(function (input) { if (input) input.readOnly = fromStore; });
    if (!fromStore) return;
    if (name) name.value = chosen.dataset.name || "";
    if (unit) unit.value = chosen.dataset.unit || "";
    if (price) price.value = chosen.dataset.price || "";
  }
  if (stock) {
    stock.addEventListener("change", fillFromStock);
    if (stock.value) fillFromStock();
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

// The contractor page's chart: one line per outsourced service (its monthly average score) and the
// school's follow-up threshold as a dashed line. The data come from a json_script block; without
// Chart.js, or on a phone (the chart's box is hidden there), the table beside it stays the record.
(function () {
  "use strict";
  var box = document.querySelector("[data-score-chart]");
  var source = document.getElementById("safety-scores");
  if (!box || !source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var colours = ["#0d6efd", "#198754", "#6f42c1", "#fd7e14", "#20c997", "#6c757d"];
  var datasets = data.series.map(function (s, i) {
    return { label: s.label, data: s.data, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length],
             spanGaps: true, tension: 0, pointRadius: 3 };
  });
  datasets.push({ label: box.dataset.thresholdLabel, data: data.labels.map(function () { return data.threshold; }),
                  borderColor: "#dc3545", borderDash: [6, 4], pointRadius: 0, fill: false });
  box.hidden = false;
  var table = document.querySelector("[data-score-table]");
  if (table) table.classList.add("d-md-none");
  new window.Chart(box.querySelector("canvas"), {
    type: "line",
    data: { labels: data.labels, datasets: datasets },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } },
               scales: { y: { suggestedMin: 50, max: 100 } } }
  });
})();

// Draws the page's charts from the JSON the server embedded (no network: Plotly is served by the app).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("r2k-charts");
  if (!holder || typeof Plotly === "undefined") { return; }
  var figures = JSON.parse(holder.textContent);
  figures.forEach(function (fig) {
    var el = document.getElementById(fig.id);
    if (!el) { return; }
    Plotly.newPlot(el, fig.data, fig.layout, {responsive: true, displaylogo: false}).then(function () {
      el.setAttribute("data-rendered", "true");
    });
  });
});

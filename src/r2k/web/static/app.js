// Draws the page's charts from the JSON the server embedded (no network: Plotly is served by the app), fits their
// titles to narrow screens, and says "computing…" while a new page is being computed.
"use strict";

function wrapTitle(text, width) {
  var max = Math.max(24, Math.floor(width / 8)), lines = [], line = "";
  text.split(" ").forEach(function (word) {
    if (line && (line + " " + word).length > max) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
  });
  lines.push(line);
  return lines.join("<br>");
}

function draw(fig) {
  var el = document.getElementById(fig.id);
  if (!el) { return; }
  var layout = fig.layout, narrow = el.clientWidth < 600;
  if (layout.height) { el.style.height = layout.height + "px"; }
  if (layout.title && layout.title.text) {
    layout.title.text = wrapTitle(layout.title.text, el.clientWidth);
    layout.title.font = {size: narrow ? 12 : 15};
    layout.margin.t = narrow ? 24 + 16 * layout.title.text.split("<br>").length : layout.margin.t;
  }
  if (narrow) { layout.margin.l = Math.min(layout.margin.l, 48); layout.margin.r = 8; }
  Plotly.newPlot(el, fig.data, layout, {responsive: true, displaylogo: false}).then(function () {
    el.setAttribute("data-rendered", "true");
  });
}

function computing() {
  var busy = document.getElementById("busy");
  document.body.classList.add("computing");
  if (busy) { busy.hidden = false; }
}

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("asof-form");
  if (form) { form.addEventListener("submit", computing); }
  document.querySelectorAll("nav a").forEach(function (a) {
    a.addEventListener("click", function () { window.setTimeout(computing, 300); });
  });
  window.addEventListener("pageshow", function () { document.body.classList.remove("computing"); });
  var holder = document.getElementById("r2k-charts");
  if (!holder || typeof Plotly === "undefined") { return; }
  JSON.parse(holder.textContent).forEach(draw);
});

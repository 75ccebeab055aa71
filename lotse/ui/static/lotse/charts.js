// Draws the charts of ui/partials/chart.html. Progressive enhancement: every value is also in
// the table beside the chart. Chart.js is loaded only on pages that have a chart.
(function () {
  "use strict";

  // KERN-UX-like palette with enough contrast against white
  var COLOURS = ["#0b5ea8", "#b34700", "#2e7d32", "#6a1b9a", "#00838f", "#c62828", "#5d4037"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || canvas.getAttribute("data-drawn")) {
      return;
    }
    var data = JSON.parse(source.textContent);
    canvas.setAttribute("data-drawn", "1");
    new window.Chart(canvas, {
      type: data.kind,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          var colour = COLOURS[i % COLOURS.length];
          return {label: s.label, data: s.values, backgroundColor: colour, borderColor: colour, fill: false};
        }),
      },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {legend: {display: data.series.length > 1}},
        scales: {x: {beginAtZero: true}, y: {beginAtZero: true}},
      },
    });
  }

  function drawAll(root) {
    var canvases = (root || document).querySelectorAll("canvas[data-chart]");
    if (!canvases.length) {
      return;
    }
    if (window.Chart) {
      canvases.forEach(draw);
      return;
    }
    var script = document.createElement("script");
    script.src = canvases[0].getAttribute("data-chart-lib");
    script.onload = function () {
      document.querySelectorAll("canvas[data-chart]").forEach(draw);
    };
    document.head.appendChild(script);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    drawAll(event.target);
  });
})();

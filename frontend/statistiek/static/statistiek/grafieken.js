// Draws each chart of a statistics page with Chart.js, from the JSON block named by the
// canvas's data-chart attribute. The table beside each chart holds the same numbers.
(function () {
  "use strict";
  const palette = ["#24578f", "#c05600", "#2e7d32", "#6a1b9a", "#b30000"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const line = data.type === "line";
    // Horizontal bars need room per row; a line chart a fixed height.
    const rows = data.labels.length * Math.max(1, data.datasets.length);
    canvas.parentElement.style.height = line ? "18rem" : Math.max(8, 2 + rows * 1.6) + "rem";
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          const colour = palette[index % palette.length];
          return {
            label: set.label,
            data: set.data,
            backgroundColor: colour,
            borderColor: colour,
          };
        }),
      },
      options: {
        indexAxis: line ? "x" : "y",
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        plugins: { legend: { display: data.datasets.length > 1 } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();

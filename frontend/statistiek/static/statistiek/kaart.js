// Draws the region's municipalities with d3-geo from the CBS boundaries (TopoJSON,
// decoded by topojson-client), coloured by the classes the server computed; the table
// beside the map holds the same numbers.
(function () {
  "use strict";
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("kaart");
  const source = document.getElementById("kaart-gegevens");
  if (!svg || !source || typeof d3 === "undefined" || typeof topojson === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);

  fetch(svg.dataset.boundaries)
    .then(function (response) {
      return response.json();
    })
    .then(function (topology) {
      const all = topojson.feature(topology, topology.objects.gemeente_2025);
      const features = all.features.filter(function (feature) {
        return feature.properties.statcode in data.municipalities;
      });
      if (!features.length) {
        return;
      }
      const region = { type: "FeatureCollection", features: features };
      const projection = d3.geoMercator().fitExtent([[10, 10], [490, 490]], region);
      const path = d3.geoPath(projection);
      features.forEach(function (feature) {
        const figure = data.municipalities[feature.properties.statcode];
        const shape = document.createElementNS(svgNs, "path");
        shape.setAttribute("d", path(feature));
        shape.setAttribute(
          "fill",
          figure.class === null ? data.noFigure : data.colours[figure.class],
        );
        shape.setAttribute("stroke", "#333");
        shape.setAttribute("stroke-width", "0.8");
        const title = document.createElementNS(svgNs, "title");
        title.textContent = figure.name + ": " + figure.value;
        shape.appendChild(title);
        svg.appendChild(shape);
      });
    });
})();

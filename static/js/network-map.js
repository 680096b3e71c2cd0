// Network map: markers from the page's JSON data; tiles only if a tile server is configured.
(function () {
  "use strict";
  var element = document.getElementById("network-map");
  var data = document.getElementById("map-points");
  if (!element || !data || typeof L === "undefined") {
    return;
  }
  var points = JSON.parse(data.textContent);
  var map = L.map(element, { scrollWheelZoom: false });
  var tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
  } else {
    element.classList.add("map-without-tiles");
  }
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: p.kind === "office" ? 9 : 7,
      color: p.kind === "office" ? "#0b4f8a" : "#8a3b00",
      fillColor: p.kind === "office" ? "#1f77c8" : "#e07a1f",
      fillOpacity: 0.9,
      weight: 2
    });
    var popup = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name;
    popup.appendChild(title);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(p.label + " · " + p.address));
    marker.bindPopup(popup);
    // Leaflet renders string content as HTML: names go in as a text node, never as markup.
    var tooltip = document.createElement("span");
    tooltip.textContent = p.name;
    marker.bindTooltip(tooltip);
    marker.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [24, 24] });
  } else {
    map.setView([53.6, 12.4], 7);
  }
  element.dataset.markers = String(bounds.length);
})();

/* Headroom's page behaviour: plotly figures and the admin-unit tree's filter.
   No inline scripts: figures arrive as JSON in data-figure attributes. */
(function () {
  "use strict";

  function drawFigures() {
    if (typeof window.Plotly === "undefined") return;
    document.querySelectorAll(".js-plotly-figure[data-figure]").forEach(function (el) {
      var figure = JSON.parse(el.dataset.figure);
      /* No "share chart" button: inventory data must not leave the DC. */
      window.Plotly.newPlot(el, figure.data, figure.layout,
        { displaylogo: false, responsive: true, showSendToCloud: false });
    });
  }

  /* Lower-case and strip Vietnamese diacritics so "tam ky" finds "Tam Kỳ". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function setupTree() {
    var tree = document.getElementById("admin-tree");
    if (!tree) return;
    var units = Array.prototype.slice.call(tree.querySelectorAll("li.unit"));
    var keys = units.map(function (li) { return fold(li.dataset.search || ""); });
    var empty = tree.parentElement.querySelector(".tree-empty");
    var input = document.getElementById("tree-filter");

    function filter() {
      var query = fold(input.value.trim());
      var shown = new Set();
      units.forEach(function (li, i) {
        if (query && keys[i].indexOf(query) === -1) return;
        /* A match shows itself, its ancestors (opened) and its whole subtree. */
        for (var up = li; up && up !== tree; up = up.parentElement) {
          if (up.matches("li.unit")) shown.add(up);
          if (query && up.matches("details") && up.parentElement !== li) up.open = true;
        }
        li.querySelectorAll("li.unit").forEach(function (d) { shown.add(d); });
      });
      units.forEach(function (li) { li.hidden = !shown.has(li); });
      if (empty) empty.hidden = shown.size > 0;
    }

    if (input) input.addEventListener("input", filter);
    document.querySelectorAll("[data-tree-toggle]").forEach(function (button) {
      button.addEventListener("click", function () {
        var open = button.dataset.treeToggle === "open";
        tree.querySelectorAll("details").forEach(function (d) { d.open = open; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawFigures();
    setupTree();
  });
})();

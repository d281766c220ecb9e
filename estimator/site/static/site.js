// estimator site: sortable tables and the claim filter. The pages are complete without this
// script (every row is in the HTML); it only adds controls. No network, no dependencies.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
  }

  function compare(kind, a, b) {
    if (kind === "number") {
      var x = parseFloat(a), y = parseFloat(b);
      if (isNaN(x)) x = Infinity;
      if (isNaN(y)) y = Infinity;
      return x - y;
    }
    return a.localeCompare(b);
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(kind, cellValue(r1, index), cellValue(r2, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function setUpFilter() {
    var form = document.getElementById("filters");
    var table = document.getElementById("claims");
    if (!form || !table) return;
    var text = document.getElementById("filter-text");
    var verdict = document.getElementById("filter-verdict");
    var count = document.getElementById("filter-count");
    function apply() {
      var needle = text.value.trim().toLowerCase();
      var wanted = verdict.value;
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var match = (!wanted || row.getAttribute("data-verdict") === wanted) &&
          (!needle || row.textContent.toLowerCase().indexOf(needle) !== -1);
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = shown + (shown === 1 ? " claim shown" : " claims shown");
    }
    text.addEventListener("input", apply);
    verdict.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  setUpFilter();
}());

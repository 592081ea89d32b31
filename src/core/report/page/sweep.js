// The sweep page's script: sorts the variants' table by a clicked column, and draws the heatmap
// of a metric over two chosen axes (each cell the best value over the other axes).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sweep-data").textContent);
  var better = data.objective.goal === "max" ? function (a, b) { return a > b; } : function (a, b) { return a < b; };

  function cellValue(td) {
    var raw = td.dataset.value;
    if (raw === undefined || raw === "") return null;
    var n = Number(raw);
    if (!isNaN(n) && raw.trim() !== "") return n;
    try { var parsed = JSON.parse(raw); return typeof parsed === "number" ? parsed : String(parsed); } catch (e) { return raw; }
  }

  // Sorting: nulls last whatever the direction.
  var table = document.querySelector("[data-table=variants]");
  table.querySelectorAll("th.sortable").forEach(function (th) {
    th.addEventListener("click", function () {
      var column = Number(th.dataset.column);
      var order = th.dataset.order === "asc" ? "desc" : "asc";
      table.querySelectorAll("th.sortable").forEach(function (other) { delete other.dataset.order; });
      th.dataset.order = order;
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = cellValue(a.cells[column]);
        var y = cellValue(b.cells[column]);
        if (x === null && y === null) return Number(a.dataset.variant) - Number(b.dataset.variant);
        if (x === null) return 1;
        if (y === null) return -1;
        var c = x < y ? -1 : x > y ? 1 : Number(a.dataset.variant) - Number(b.dataset.variant);
        return order === "asc" ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  // The heatmap.
  var selects = { x: document.getElementById("heat-x"), y: document.getElementById("heat-y"), metric: document.getElementById("heat-metric") };
  function key(value) { return JSON.stringify(value === undefined ? null : value); }
  function label(value) { return value === null || value === undefined ? "-" : typeof value === "string" ? value : JSON.stringify(value); }
  function fmt(x) { return Number.isInteger(x) ? x.toLocaleString("en-US") : Math.abs(x) >= 100 ? x.toLocaleString("en-US", { maximumFractionDigits: 2 }) : x.toPrecision(4); }
  function draw() {
    var xa = selects.x.value, ya = selects.y.value, metric = selects.metric.value;
    var xs = [], ys = [], cells = {};
    data.rows.forEach(function (r) {
      var kx = key(r.values[xa]), ky = key(r.values[ya]);
      if (xs.indexOf(kx) < 0) xs.push(kx);
      if (ys.indexOf(ky) < 0) ys.push(ky);
      if (!r.ok || !r.keep || !r.perf || typeof r.perf[metric] !== "number") return;
      var k = kx + "|" + ky, v = r.perf[metric];
      if (!(k in cells) || better(v, cells[k])) cells[k] = v;
    });
    var values = Object.keys(cells).map(function (k) { return cells[k]; });
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    var html = "<thead><tr><th>" + ya + " \\ " + xa + "</th>" + xs.map(function (x) { return "<th>" + label(JSON.parse(x)) + "</th>"; }).join("") + "</tr></thead><tbody>";
    ys.forEach(function (y) {
      html += "<tr><th>" + label(JSON.parse(y)) + "</th>";
      xs.forEach(function (x) {
        var v = cells[x + "|" + y];
        if (v === undefined) { html += '<td class="cell" data-x=\'' + x + '\' data-y=\'' + y + '\' data-value="">-</td>'; return; }
        var t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        if (data.objective.goal === "min" && metric === data.objective.metric) t = 1 - t;
        var color = "hsl(" + Math.round(t * 120) + ", 60%, " + Math.round(88 - t * 25) + "%)";
        html += '<td class="cell" style="background:' + color + '" data-x=\'' + x + '\' data-y=\'' + y + '\' data-value="' + v + '">' + fmt(v) + "</td>";
      });
      html += "</tr>";
    });
    document.querySelector("[data-table=heatmap]").innerHTML = html + "</tbody>";
  }
  selects.x.addEventListener("change", draw);
  selects.y.addEventListener("change", draw);
  selects.metric.addEventListener("change", draw);
  draw();
  window.__sweepReady = true;
})();

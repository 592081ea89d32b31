// The report page's charts, drawn with TradingView Lightweight Charts (inlined before this script)
// from the JSON in #report-data. Times are exchange-local wall-clock seconds (the chart shows them
// as they are), so 09:30 on the axis is the open.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const LC = window.LightweightCharts;
  const base = {
    autoSize: true,
    layout: { background: { color: "#ffffff" }, textColor: "#1f2933", fontFamily: "system-ui, sans-serif" },
    grid: { vertLines: { color: "#eef1f4" }, horzLines: { color: "#eef1f4" } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: "#cbd2d9" },
    rightPriceScale: { borderColor: "#cbd2d9" },
    crosshair: { mode: 0 },
  };
  const rendered = [];

  function chartIn(id, options) {
    const el = document.getElementById(id);
    const chart = LC.createChart(el, Object.assign({}, base, options || {}));
    rendered.push(el);
    return chart;
  }

  // Equity and drawdown of the account, at every merge step.
  const equity = chartIn("chart-equity");
  equity.addSeries(LC.LineSeries, { color: "#1f6feb", lineWidth: 2, priceFormat: { type: "price", precision: 2, minMove: 0.01 } })
    .setData(data.equity.map((p) => ({ time: p[0], value: p[1] })));
  equity.timeScale().fitContent();

  const drawdown = chartIn("chart-drawdown");
  let peak = data.initial_equity;
  drawdown.addSeries(LC.AreaSeries, { lineColor: "#d1242f", topColor: "rgba(209,36,47,0.05)", bottomColor: "rgba(209,36,47,0.35)", lineWidth: 1, priceFormat: { type: "custom", minMove: 0.01, formatter: (v) => `${v.toFixed(2)}%` } })
    .setData(data.equity.map((p) => {
      if (p[1] > peak) peak = p[1];
      return { time: p[0], value: peak > 0 ? (100 * (p[1] - peak)) / peak : 0 };
    }));
  drawdown.timeScale().fitContent();

  // Base-stream quality per day.
  const quality = chartIn("chart-quality");
  quality.addSeries(LC.HistogramSeries, { color: "#2da44e", priceFormat: { type: "custom", minMove: 0.01, formatter: (v) => `${v.toFixed(2)}%` } })
    .setData(data.daily_quality.map((d) => ({ time: d[0], value: d[1], color: d[1] < 100 ? "#bf8700" : "#2da44e" })));
  quality.timeScale().fitContent();

  // Price with round-trip entries and exits, per symbol; the buttons switch the interval.
  for (const symbol of data.prices) {
    const chart = chartIn(`chart-price-${symbol.symbol}`);
    const candles = chart.addSeries(LC.CandlestickSeries, { upColor: "#2da44e", downColor: "#d1242f", borderVisible: false, wickUpColor: "#2da44e", wickDownColor: "#d1242f" });
    const markers = LC.createSeriesMarkers(candles, []);
    const show = (index) => {
      const series = symbol.intervals[index];
      candles.setData(series.bars.map((b) => ({ time: b[0], open: b[1], high: b[2], low: b[3], close: b[4] })));
      markers.setMarkers(series.markers.map((m) => ({
        time: m[0],
        position: m[1] === "buy" ? "belowBar" : "aboveBar",
        shape: m[1] === "buy" ? "arrowUp" : "arrowDown",
        color: m[1] === "buy" ? "#1f6feb" : "#8250df",
        text: m[2],
      })));
      chart.timeScale().fitContent();
      document.querySelectorAll(`[data-symbol="${symbol.symbol}"] button`).forEach((b, i) => b.classList.toggle("active", i === index));
    };
    document.querySelectorAll(`[data-symbol="${symbol.symbol}"] button`).forEach((b, i) => b.addEventListener("click", () => show(i)));
    show(0);
  }

  // The test (and a curious reader) can see that every chart has drawn.
  window.__reportCharts = rendered.map((el) => el.id);
})();

// Draws the dashboard's charts from the JSON the page carries (no network requests).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var font = getComputedStyle(document.body).fontFamily;
  function option(kind, title, chart) {
    var base = { title: { text: title, left: "center", textStyle: { fontSize: 14 } },
                 textStyle: { fontFamily: font }, tooltip: { trigger: kind === "pie" ? "item" : "axis" } };
    if (kind === "pie") {
      base.series = [{ type: "pie", radius: "60%", top: 30,
        data: chart.labels.map(function (l, i) { return { name: l, value: chart.series[0].data[i] }; }) }];
      return base;
    }
    base.legend = { bottom: 0 };
    base.grid = { left: 50, right: 20, top: 40, bottom: 60 };
    base.xAxis = { type: "category", data: chart.labels, axisLabel: { rotate: chart.labels.length > 8 ? 40 : 0 } };
    base.yAxis = { type: "value" };
    base.series = chart.series.map(function (s) { return { type: kind, name: s.name, data: s.data }; });
    return base;
  }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var c = echarts.init(el, null, { renderer: "canvas" });
    c.setOption(option(el.dataset.kind, el.dataset.title, data[el.dataset.chart]));
    charts.push(c);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();

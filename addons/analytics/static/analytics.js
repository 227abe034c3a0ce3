/* Kangyi analytics: pivot rows expand and collapse; graphs drawn by Apache ECharts (shipped
   with the addon), a click on a bar, point or slice opens the list of its records. */
(function () {
  "use strict";

  function pivot(table) {
    table.addEventListener("click", function (event) {
      var button = event.target.closest(".pivot-toggle");
      if (!button) { return; }
      var row = button.closest("tr");
      var path = row.getAttribute("data-path") + "/";
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.setAttribute("aria-label", button.getAttribute(open ? "data-collapse" : "data-expand"));
      button.textContent = open ? "▾" : "▸";
      table.querySelectorAll("tbody tr").forEach(function (other) {
        var own = other.getAttribute("data-path");
        if (own.indexOf(path) === 0) {
          other.hidden = !open;
          var inner = other.querySelector(".pivot-toggle");
          if (inner) { inner.setAttribute("aria-expanded", open ? "true" : "false"); inner.textContent = open ? "▾" : "▸"; }
        }
      });
    });
  }

  function option(data) {
    var kind = data.chart;
    if (kind === "pie") {
      var first = data.series[0] || {points: []};
      return {
        tooltip: {trigger: "item"},
        legend: {type: "scroll", bottom: 0},
        series: [{type: "pie", radius: "60%", name: data.measure,
                  data: first.points.map(function (p, i) {
                    return {name: data.categories[i], value: p.value, url: p.url};
                  })}]
      };
    }
    return {
      tooltip: {trigger: "axis"},
      legend: {type: "scroll", bottom: 0},
      grid: {left: 60, right: 20, top: 30, bottom: 60, containLabel: true},
      xAxis: {type: "category", data: data.categories},
      yAxis: {type: "value", name: data.measure},
      series: data.series.map(function (s) {
        return {name: s.name, type: kind === "line" ? "line" : "bar",
                stack: kind === "stacked" ? "total" : undefined,
                data: s.points.map(function (p) { return {value: p.value, url: p.url}; })};
      })
    };
  }

  function chart(box) {
    var source = box.parentNode.querySelector("[data-chart-data]");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var instance = echarts.init(box);
    instance.setOption(option(data));
    instance.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    box.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function start() {
    document.querySelectorAll("[data-pivot]").forEach(pivot);
    document.querySelectorAll("[data-chart]").forEach(chart);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());

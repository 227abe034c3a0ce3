/* Kangyi web UI behaviour: search-as-you-type references, tags, editable lines with live
   subtotals, select-all and confirmations. Small and dependency-free on purpose. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  /* A combobox over /web/<model>/name_search; onPick(id, name) when a result is chosen. */
  function combobox(input, list, url, onPick) {
    var active = -1;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
    }
    function pick(li) { onPick(parseInt(li.dataset.id, 10), li.textContent); close(); }
    var search = debounce(function () {
      fetch(url + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          list.innerHTML = "";
          rows.forEach(function (row, i) {
            var li = document.createElement("li");
            li.setAttribute("role", "option");
            li.id = list.id + "-" + i;
            li.dataset.id = row[0];
            li.textContent = row[1];
            li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(li); });
            list.appendChild(li);
          });
          list.hidden = rows.length === 0;
          input.setAttribute("aria-expanded", rows.length ? "true" : "false");
          active = -1;
        });
    }, 200);
    input.addEventListener("input", search);
    input.addEventListener("focus", search);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("li");
      if (e.key === "ArrowDown" && items.length) { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && !list.hidden && active >= 0) { e.preventDefault(); pick(items[active]); }
      else if (e.key === "Escape") { close(); }
    });
  }

  function initMany2one(root) {
    root.querySelectorAll(".m2o").forEach(function (box) {
      if (box.dataset.ready) { return; }
      box.dataset.ready = "1";
      var input = box.querySelector("input[type=text]");
      var hidden = box.querySelector("input[type=hidden]");
      combobox(input, box.querySelector(".m2o-results"), box.dataset.url, function (id, name) {
        hidden.value = id; input.value = name;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      input.addEventListener("input", function () { if (!input.value.trim()) { hidden.value = ""; } });
    });
  }

  function initMany2many(root) {
    root.querySelectorAll(".m2m").forEach(function (box) {
      if (box.dataset.ready) { return; }
      box.dataset.ready = "1";
      var tags = box.querySelector(".tags");
      var input = box.querySelector("input[type=text]");
      tags.addEventListener("click", function (e) {
        if (e.target.classList.contains("tag-remove")) { e.target.closest(".tag").remove(); input.focus(); }
      });
      combobox(input, box.querySelector(".m2o-results"), box.dataset.url, function (id, name) {
        var exists = tags.querySelector("input[value='" + id + "']");
        if (!exists) {
          var li = document.createElement("li");
          li.className = "tag";
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = box.dataset.name; hidden.value = id;
          var remove = document.createElement("button");
          remove.type = "button"; remove.className = "tag-remove"; remove.textContent = "×";
          remove.setAttribute("aria-label", "− " + name);
          li.appendChild(hidden); li.appendChild(document.createTextNode(name + " ")); li.appendChild(remove);
          tags.appendChild(li);
        }
        input.value = "";
      });
    });
  }

  function number(text) {
    var value = parseFloat(String(text || "").replace(/,/g, ""));
    return isNaN(value) ? 0 : value;
  }

  /* Live subtotals are a display aid only: the server recomputes amounts with Decimal. */
  function initLines(root) {
    root.querySelectorAll("fieldset.lines").forEach(function (box) {
      var factors = (box.dataset.subtotal || "").split(",").filter(Boolean);
      var body = box.querySelector("tbody");
      var template = box.querySelector("template.line-template");
      var next = body.querySelectorAll("tr.line").length;
      function recompute() {
        if (!factors.length) { return; }
        var total = 0;
        body.querySelectorAll("tr.line").forEach(function (row) {
          var value = 1;
          factors.forEach(function (name) {
            var cell = row.querySelector("td[data-col='" + name + "']");
            var input = cell && cell.querySelector("input, select");
            value *= number(input ? input.value : cell && cell.textContent);
          });
          total += value;
          var out = row.querySelector(".subtotal");
          if (out) { out.textContent = value.toLocaleString(document.documentElement.lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
        });
        var totalCell = box.querySelector(".total");
        if (totalCell) { totalCell.textContent = total.toLocaleString(document.documentElement.lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
      }
      box.addEventListener("input", recompute);
      box.addEventListener("click", function (e) {
        if (e.target.classList.contains("line-remove")) { e.target.closest("tr").remove(); recompute(); }
        if (e.target.classList.contains("line-add") && template) {
          var html = template.innerHTML.replace(/__index__/g, String(next + 1000));
          next += 1;
          body.insertAdjacentHTML("beforeend", html);
          var row = body.lastElementChild;
          initMany2one(row);
          var first = row.querySelector("input:not([type=hidden]), select");
          if (first) { first.focus(); }
          recompute();
        }
      });
      recompute();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMany2one(document);
    initMany2many(document);
    initLines(document);
    document.querySelectorAll(".select-all").forEach(function (box) {
      box.addEventListener("change", function () {
        box.closest("table").querySelectorAll("tbody input[name=ids]").forEach(function (c) { c.checked = box.checked; });
      });
    });
    document.addEventListener("click", function (e) {  // a group's rows, fetched once
      var expand = e.target.closest(".group-expand");
      if (!expand) { return; }
      var row = expand.closest("tr"), next = row.nextElementSibling;
      var open = expand.getAttribute("aria-expanded") !== "true";
      expand.setAttribute("aria-expanded", open ? "true" : "false");
      expand.textContent = open ? "▾" : "▸";
      if (next && next.classList.contains("group-rows")) { next.hidden = !open; return; }
      fetch(expand.dataset.rows, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          var tr = document.createElement("tr");
          tr.className = "group-rows";
          var td = document.createElement("td");
          td.colSpan = row.children.length;
          td.innerHTML = html;
          tr.appendChild(td);
          row.after(tr);
        });
    });
    document.addEventListener("click", function (e) {
      var button = e.target.closest("[data-confirm]");
      if (button && !window.confirm(button.dataset.confirm)) { e.preventDefault(); }
    });
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll(".sidemenu details").forEach(function (d) { d.open = false; });
    }
  });
})();

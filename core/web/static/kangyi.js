/* Kangyi web UI behaviour: search-as-you-type references, tags, editable lines with live
   subtotals, select-all, confirmations and background jobs' progress. Small and
   dependency-free on purpose. */
(function () {
  var groupKeys = 0;

  function groupKey(row) {  // a grouped list's row, named for the rows loaded below it
    if (!row.dataset.key) { groupKeys += 1; row.dataset.key = String(groupKeys); }
    return row.dataset.key;
  }

  function collapseBelow(key) {  // hide every level below a group, each folded again
    document.querySelectorAll('tr[data-parent="' + key + '"]').forEach(function (tr) {
      tr.hidden = true;
      var button = tr.querySelector(":scope > td > .group-expand");
      if (button) { button.setAttribute("aria-expanded", "false"); button.textContent = "▸"; }
      if (tr.dataset.key) { collapseBelow(tr.dataset.key); }
    });
  }

  function insertRows(after, html, parent) {  // table rows of a fragment, after a row
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var rows = Array.prototype.slice.call(template.content.children);
    rows.forEach(function (tr) { if (parent) { tr.dataset.parent = parent; } });
    after.after.apply(after, rows);
  }

  function fetchText(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) { return r.ok ? r.text() : ""; });
  }

  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  /* A combobox over /web/<model>/name_search (url: the address, or a function giving it at
     each search); onPick(id, name) when a result is chosen. */
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
      var address = typeof url === "function" ? url() : url;
      fetch(address + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
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
    // typed into before this script ran (a slow page): search what is there now
    if (document.activeElement === input && input.value) { search(); }
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
      combobox(input, box.querySelector(".m2o-results"), function () { return box.dataset.url; }, function (id, name) {
        hidden.value = id; input.value = name;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      input.addEventListener("input", function () { if (!input.value.trim()) { hidden.value = ""; } });
      var kind = box.parentNode.classList.contains("ref") && box.parentNode.querySelector("select");
      if (kind) {  // a reference: another kind of record searches its own records
        kind.addEventListener("change", function () {
          box.dataset.url = kind.options[kind.selectedIndex].dataset.url;
          hidden.value = ""; input.value = "";
        });
      }
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
          initInputs(row);
          var first = row.querySelector("input:not([type=hidden]), select");
          if (first) { first.focus(); }
          recompute();
        }
      });
      recompute();
    });
  }

  /* Onchange: when a field listed in data-onchange changes, the server does a dry run of the
     save and answers the values the model's rules give; inputs the user typed keep theirs. */
  function initOnchange(form) {
    var triggers = (form.dataset.onchange || "").split(" ").filter(Boolean);
    var touched = {};
    function fieldName(input) { return (input.name || "").replace(/_display$/, ""); }
    function trigger(name) {
      var m = /^(\w+)-(\d+)-(\w+)$/.exec(name);
      return triggers.indexOf(m ? m[1] + "." + m[3] : name) >= 0;
    }
    function fill(prefix, values) {
      Object.keys(values).forEach(function (key) {
        var name = prefix + key, value = values[key];
        if (touched[name]) { return; }
        var display = form.querySelector("[name='" + name + "_display']");
        var input = form.querySelector("[name='" + name + "']");
        if (!input) { return; }
        if (display) {  /* many2one: [id, name] */
          input.value = value ? value[0] : ""; display.value = value ? value[1] : "";
        } else if (input.type === "checkbox") { input.checked = !!value; }
        else { input.value = value === null || value === false ? "" : value; }
      });
      var lines = form.querySelector("fieldset.lines");
      if (lines) { lines.dispatchEvent(new Event("input", { bubbles: true })); }
    }
    form.addEventListener("input", function (e) {
      if (e.isTrusted && e.target.name) { touched[fieldName(e.target)] = true; }
    });
    form.addEventListener("change", function (e) {
      var name = fieldName(e.target);
      if (!name || !trigger(name)) { return; }
      touched[name] = true;
      var data = new FormData(form);
      data.append("__onchange", name);
      data.append("__record_id", form.dataset.recordId || "");
      Object.keys(touched).forEach(function (t) { data.append("__touched", t); });
      var m = /^(\w+-\d+-)\w+$/.exec(name);
      form.classList.add("onchange-busy");
      fetch(form.dataset.onchangeUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { values: {} }; })
        .then(function (answer) { fill(m ? m[1] : "", answer.values || {}); })
        .finally(function () { form.classList.remove("onchange-busy"); });
    });
  }

  /* Kanban: drag a card to another column; it posts the card's own "Move to" form. */
  function initKanban(board) {
    var dragged = null;
    board.addEventListener("dragstart", function (e) {
      dragged = e.target.closest("[data-move]");
      if (dragged) { e.dataTransfer.effectAllowed = "move"; e.dataTransfer.setData("text/plain", dragged.dataset.move); }
    });
    board.addEventListener("dragover", function (e) {
      if (dragged && e.target.closest(".kanban-col")) { e.preventDefault(); }
    });
    board.addEventListener("drop", function (e) {
      var col = e.target.closest(".kanban-col");
      if (!dragged || !col) { return; }
      e.preventDefault();
      var form = dragged.querySelector("form.card-move");
      form.querySelector("select").value = col.dataset.key;
      dragged = null;
      form.submit();
    });
  }

  /* Date and file inputs speak the user's language, not the browser's (mm/dd/yyyy, "Choose
     File"): dates are typed as ISO text with a hint, a file input gets a translated button. */
  function initInputs(root) {
    var texts = document.body.dataset;
    root.querySelectorAll("input[type=date], input[type=datetime-local]").forEach(function (input) {
      var withTime = input.type === "datetime-local";
      input.type = "text";
      input.placeholder = withTime ? texts.datetimeHint : texts.dateHint;
      input.setAttribute("inputmode", "numeric");
      input.setAttribute("pattern", withTime ? "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2})?" : "\\d{4}-\\d{2}-\\d{2}");
      input.classList.add("date-input");
      if (withTime) { input.value = input.value.replace("T", " ").slice(0, 16); }
    });
    root.querySelectorAll("input[type=file]").forEach(function (input) {
      if (input.dataset.ready) { return; }
      input.dataset.ready = "1";
      var box = document.createElement("span");
      box.className = "file-input";
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = texts.chooseFile;
      var name = document.createElement("span");
      name.className = "muted";
      name.textContent = texts.noFile;
      input.parentNode.insertBefore(box, input);
      box.appendChild(input); box.appendChild(button); box.appendChild(name);
      input.classList.add("sr-only");
      button.addEventListener("click", function () { input.click(); });
      input.addEventListener("change", function () {
        name.textContent = input.files.length ? Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ") : texts.noFile;
      });
    });
  }

  /* A background job's page: poll its JSON, move the bar; reload when it ends (the result link). */
  function followJob(section) {
    var bar = section.querySelector("progress"), percent = section.querySelector("[data-job-percent]");
    var state = section.querySelector("[data-job-state]"), message = section.querySelector("[data-job-message]");
    function poll() {
      fetch(section.dataset.jobStatus, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var value = (data.progress && data.progress.percent) || 0;
          bar.value = value; bar.textContent = percent.textContent = value + "%";
          state.textContent = data.job.state_label; state.dataset.jobState = data.job.state;
          if (data.progress && data.progress.message) { message.textContent = data.progress.message; }
          if (["pending", "started", "retrying"].indexOf(data.job.state) < 0) { window.location.reload(); return; }
          setTimeout(poll, 1000);
        }, function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".job-status[data-running]").forEach(followJob);
    initInputs(document);
    document.querySelectorAll("form[data-onchange]").forEach(initOnchange);
    document.querySelectorAll(".kanban").forEach(initKanban);
    initMany2one(document);
    initMany2many(document);
    initLines(document);
    document.querySelectorAll(".select-all").forEach(function (box) {
      box.addEventListener("change", function () {
        box.closest("table").querySelectorAll("tbody input[name=ids]").forEach(function (c) { c.checked = box.checked; });
      });
    });
    document.addEventListener("click", function (e) {  // what is below a group, fetched once
      var more = e.target.closest(".group-more");
      if (more) {  // the next page of a level's groups, in place of its button
        var moreRow = more.closest("tr");
        more.disabled = true;
        fetchText(more.dataset.groups).then(function (html) {
          insertRows(moreRow, html, moreRow.dataset.parent);
          moreRow.remove();
        });
        return;
      }
      var expand = e.target.closest(".group-expand");
      if (!expand) { return; }
      var row = expand.closest("tr"), key = groupKey(row);
      var open = expand.getAttribute("aria-expanded") !== "true";
      expand.setAttribute("aria-expanded", open ? "true" : "false");
      expand.textContent = open ? "▾" : "▸";
      if (!open) { collapseBelow(key); return; }
      var below = document.querySelectorAll('tr[data-parent="' + key + '"]');
      if (below.length) { below.forEach(function (tr) { tr.hidden = false; }); return; }
      if (expand.dataset.groups) {  // the next level's groups, as rows of the same table
        fetchText(expand.dataset.groups).then(function (html) { insertRows(row, html, key); });
        return;
      }
      fetchText(expand.dataset.rows).then(function (html) {
        var tr = document.createElement("tr");
        tr.className = "group-rows";
        tr.dataset.parent = key;
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
      if (e.target.closest("[data-print]")) { window.print(); }  // no inline handlers (CSP)
    });
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll(".sidemenu details").forEach(function (d) { d.open = false; });
    }
  });
})();

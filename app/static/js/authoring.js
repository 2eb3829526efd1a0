// Shared by the lesson and item editors: posting the form for live checks, showing
// problems on their fields (aria-invalid, aria-describedby), and lists that grow and
// shrink. Text from the server is never parsed as HTML except the preview, which the
// server renders with the lesson page's own (escaping) renderer.
"use strict";
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = JSON.parse(document.getElementById("authoring-text").textContent);

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || text.failed);
    return data;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  // Problems [{field, message}] onto the form: each field's list, its inputs marked.
  function showProblems(form, problems) {
    const byField = {};
    problems.forEach((p) => { (byField[p.field] = byField[p.field] || []).push(p.message); });
    document.querySelectorAll("[data-problems-for]").forEach((box) => {
      const messages = byField[box.dataset.problemsFor] || [];
      box.replaceChildren(...messages.map((m) => {
        const line = document.createElement(box.id === "err-" ? "p" : "span");
        line.className = box.id === "err-" ? "mb-1" : "d-block";
        line.textContent = m;
        return line;
      }));
    });
    form.querySelectorAll("[data-field]").forEach((input) => {
      const bad = Boolean(byField[input.dataset.field]);
      if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      if (input.type !== "radio") input.classList.toggle("is-invalid", bad);
    });
  }

  // A list's rows get their numbers back after an add or a remove: ids, labels, radios.
  function renumber(list) {
    list.querySelectorAll("[data-rows] > [data-row]").forEach((row, i) => {
      row.querySelectorAll("[data-id]").forEach((el) => { el.id = `${el.dataset.id}-${i}`; });
      row.querySelectorAll("[data-for]").forEach((el) => {
        el.htmlFor = `${el.dataset.for}-${i}`;
        el.textContent = el.dataset.label.replace("%n", i + 1);
      });
      row.querySelectorAll("[data-remove]").forEach((el) => {
        el.setAttribute("aria-label", el.dataset.label.replace("%n", i + 1));
      });
      row.querySelectorAll('input[type="radio"]').forEach((el) => { el.value = String(i); });
    });
    const empty = list.querySelector("[data-empty-note]");
    if (empty) empty.hidden = list.querySelector("[data-rows] > [data-row]") !== null;
  }

  // Add a row from the list's template; returns it so a caller can fill it in.
  function addRow(list) {
    const row = list.querySelector("[data-row-template]").content.firstElementChild.cloneNode(true);
    row.querySelectorAll("input:not([type=radio]):not([type=hidden])").forEach((el) => { el.value = ""; });
    row.querySelectorAll('input[type="radio"]').forEach((el) => { el.checked = false; });
    list.querySelector("[data-rows]").append(row);
    renumber(list);
    return row;
  }

  function lists(form, changed) {
    document.querySelectorAll("[data-list]").forEach((list) => {
      renumber(list);
      list.addEventListener("click", (event) => {
        const add = event.target.closest("[data-add]");
        const remove = event.target.closest("[data-remove]");
        if (add) {
          const row = addRow(list);
          const first = row.querySelector("input:not([type=radio]):not([type=hidden])");
          if (first) first.focus();
          changed();
        } else if (remove) {
          const rows = [...list.querySelectorAll("[data-rows] > [data-row]")];
          const at = rows.indexOf(remove.closest("[data-row]"));
          rows[at].remove();
          renumber(list);
          const left = list.querySelectorAll("[data-rows] > [data-row]");
          const next = left[Math.min(at, left.length - 1)];
          (next ? next.querySelector("input:not([type=hidden]), button") : list.querySelector("[data-add]") || list.querySelector("legend"))?.focus();
          changed();
        }
      });
    });
  }

  window.HashiAuthoring = { post, debounce, showProblems, lists, addRow, renumber, text };
})();

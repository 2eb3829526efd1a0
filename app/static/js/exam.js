// The exam page: one section at a time, every item of it on one page with a navigator.
// The server owns the clock: the countdown restarts from the seconds the server reports
// with every response. Each answer is posted the moment it is given (typed ones on
// change, blur or Enter); an answer not yet acknowledged is sent again until it is.
// No verdict ever comes back during the exam.
"use strict";
(() => {
  const root = document.getElementById("exam");
  if (!root) return;
  const { el } = window.HashiItems;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = JSON.parse(document.getElementById("exam-text").textContent);
  const fmt = (s, params) => s.replace(/%\((\w+)\)s/g, (m, k) => String(params[k]));
  const $ = (sel) => root.querySelector(sel);
  const stage = $("[data-stage]");
  const status = $("[data-status]");
  const savedNote = $("[data-saved]");
  const timer = $("[data-timer]");
  const warning = $("[data-time-warning]");
  const navigator = $("[data-navigator]");
  const confirmBox = $("[data-confirm]");

  let state = null;
  let deadline = 0; // on this machine's clock, from the server's remaining seconds
  let closing = false;
  let warned = {};
  let inputs = new Map(); // item id -> {input, number, last (the answer the server has)}
  const pending = new Map(); // item id -> answer not yet acknowledged

  async function call(url, body) {
    const response = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, data };
  }

  const sync = (seconds) => { deadline = Date.now() + seconds * 1000; tick(); };

  async function load() {
    try {
      const r = await call(root.dataset.stateUrl);
      if (!r.ok) { status.textContent = r.data.message || text.error; return; }
      apply(r.data);
    } catch (error) { status.textContent = text.offline; setTimeout(load, 3000); }
  }

  function apply(next) {
    if (next.status !== "active" || !next.section) {
      window.location.assign(next.result_url || root.dataset.resultUrl);
      return;
    }
    const fresh = !state || state.section.index !== next.section.index;
    state = next;
    closing = false;
    if (fresh) render();
    sync(next.section.remaining_seconds);
  }

  function render() {
    const section = state.section;
    const title = $("[data-section-title]");
    title.textContent = fmt(text.section_of, {
      number: section.index + 1, total: state.sections.length, name: text.sections[section.id] || section.id });
    stage.replaceChildren();
    navigator.replaceChildren();
    inputs = new Map();
    warned = {};
    confirmBox.hidden = true;
    let number = 0;
    let passage = null; // questions on one passage follow each other: show it once
    section.parts.forEach((part) => {
      if (!part.items.length) return;
      stage.append(el("h3", { class: "h6 part-title mt-4 mb-2", text: text.parts[part.skill] || part.skill }));
      part.items.forEach((item) => {
        number += 1;
        const n = number;
        const id = `q-${n}`;
        const box = el("section", { class: "exam-item card mb-3", id, "aria-labelledby": `${id}-title` });
        const body = el("div", { class: "card-body" });
        body.append(el("h4", { class: "h6", id: `${id}-title`, tabindex: "-1", text: fmt(text.question, { number: n }) }));
        const repeated = item.passage_id && item.passage_id === passage;
        passage = item.passage_id || null;
        body.append(...window.HashiItems.prompt(repeated ? { ...item, passage: null } : item));
        const input = window.HashiItems.input(item, {
          text, prefix: `${id}-`, label: fmt(text.answer_to, { number: n }),
          onChange: (value) => save(item.id, value),
        });
        body.append(input.node);
        box.append(body);
        stage.append(box);
        const saved = section.answers[item.id];
        if (saved !== undefined) input.set(saved);
        inputs.set(item.id, { input, number: n, last: saved });
        navigator.append(el("li", {}, [navLink(item.id, n)]));
      });
    });
    title.focus();
  }

  const answered = (value) => value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && !value.length);

  function navLink(itemId, n) {
    const entry = inputs.get(itemId);
    const done = entry && answered(entry.last);
    const link = el("a", { href: `#q-${n}`, class: `btn btn-sm exam-nav-item ${done ? "btn-primary answered" : "btn-outline-secondary"}` }, [
      String(n), el("span", { class: "visually-hidden", text: ` (${done ? text.answered : text.not_answered})` })]);
    link.dataset.item = itemId;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const heading = document.getElementById(`q-${n}-title`);
      heading.scrollIntoView({ block: "start" });
      heading.focus();
    });
    return link;
  }

  function mark(itemId) {
    const entry = inputs.get(itemId);
    const old = navigator.querySelector(`[data-item="${CSS.escape(itemId)}"]`);
    if (entry && old) old.replaceWith(navLink(itemId, entry.number));
  }

  async function save(itemId, value) {
    const entry = inputs.get(itemId);
    if (!entry || closing) return;
    pending.set(itemId, value);
    savedNote.textContent = text.saving;
    try {
      const r = await call(root.dataset.answerUrl, { item_id: itemId, answer: value });
      if (r.ok) {
        if (pending.get(itemId) === value) pending.delete(itemId);
        entry.last = value;
        mark(itemId);
        savedNote.textContent = fmt(text.saved, { number: entry.number });
        status.textContent = "";
        if (r.data.section_index !== state.section.index) load();
        else sync(r.data.remaining_seconds);
      } else {
        pending.delete(itemId);
        savedNote.textContent = "";
        status.textContent = fmt(text.not_saved, { reason: r.data.message || text.error });
        if (r.status === 409) load();
      }
    } catch (error) {
      savedNote.textContent = "";
      status.textContent = text.offline;
      setTimeout(() => { if (pending.get(itemId) === value) save(itemId, value); }, 3000);
    }
  }

  // Typed answers are saved on change; one still being typed is sent before submitting.
  async function flush() {
    const sends = [];
    inputs.forEach((entry, itemId) => {
      const value = entry.input.value();
      if (answered(value) && JSON.stringify(value) !== JSON.stringify(entry.last)) sends.push(save(itemId, value));
    });
    await Promise.all(sends);
  }

  async function submit() {
    if (closing) return;
    await flush();
    closing = true;
    const url = root.dataset.submitUrl.replace("SECTION", state.section.index);
    try {
      const r = await call(url, {});
      if (!r.ok) { closing = false; status.textContent = r.data.message || text.error; return; }
      apply(r.data);
    } catch (error) {
      closing = false;
      status.textContent = text.offline;
      setTimeout(submit, 3000);
    }
  }

  function tick() {
    if (!state) return;
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const mm = String(Math.floor(left / 60)).padStart(2, "0");
    timer.textContent = `${mm}:${String(left % 60).padStart(2, "0")}`;
    if (left <= 300 && left > 60 && !warned.five) { warned.five = true; warning.textContent = text.five_minutes; }
    if (left <= 60 && left > 0 && !warned.one) { warned.one = true; warning.textContent = text.one_minute; }
    if (left === 0 && !closing) { warning.textContent = text.time_up; submit(); }
  }

  $("[data-submit]").addEventListener("click", () => {
    const missing = [...inputs.values()].filter((e) => !answered(e.input.value())).length;
    $("[data-confirm-text]").textContent = missing ? fmt(text.confirm_unanswered, { count: missing }) : text.confirm;
    confirmBox.hidden = false;
    $("[data-confirm-yes]").focus();
  });
  $("[data-confirm-no]").addEventListener("click", () => { confirmBox.hidden = true; $("[data-submit]").focus(); });
  $("[data-confirm-yes]").addEventListener("click", () => { confirmBox.hidden = true; submit(); });

  setInterval(tick, 500);
  load();
})();

// A practice session, one item at a time, answered with the keyboard alone.
// Items arrive without their keys; each answer is posted with a key of its own so a
// retry stores it once, and only a stored verdict is shown as graded.
"use strict";
(() => {
  const root = document.getElementById("practice");
  if (!root) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = JSON.parse(document.getElementById("practice-text").textContent);
  const el = (tag, attrs = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    children.forEach((c) => node.append(c));
    return node;
  };
  // {漢字|かんじ} as ruby, built as DOM nodes (never innerHTML: content is not trusted).
  const rubyText = (s) => {
    const span = el("span", { lang: "ja" });
    let last = 0;
    for (const m of String(s).matchAll(/\{([^{}|]+)\|([^{}|]+)\}/g)) {
      span.append(s.slice(last, m.index));
      span.append(el("ruby", {}, [m[1], el("rt", { text: m[2] })]));
      last = m.index + m[0].length;
    }
    span.append(String(s).slice(last));
    return span;
  };
  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || text.error);
    return data;
  };

  let session = null;
  let mode = "on"; // romaji → hiragana; "katakana" or "off" once the trainee switches
  let index = 0;
  const stage = root.querySelector("[data-stage]");
  const status = root.querySelector("[data-status]");

  async function start() {
    try {
      session = await post(root.dataset.startUrl);
      show();
    } catch (error) { status.textContent = error.message; }
  }

  function input(item) {
    const typed = ["reading", "meaning", "word", "conjugation", "sentence", "cloze"];
    if (typed.includes(item.type)) {
      const field = el("input", { type: "text", class: "form-control form-control-lg", id: "answer",
        autocomplete: "off", autocapitalize: "off", spellcheck: "false",
        "aria-label": text.your_answer });
      if (item.type === "meaning") return { node: field, value: () => field.value, focus: field };
      field.lang = "ja";
      field.dataset.kana = mode;
      window.HashiKana.attach(field);
      const modes = el("div", { class: "btn-group btn-group-sm mt-2", role: "group", "aria-label": text.typing });
      [["on", text.hiragana], ["katakana", text.katakana], ["off", text.no_conversion]].forEach(([value, label]) => {
        const b = el("button", { type: "button", class: "btn btn-outline-secondary", "aria-pressed": String(value === mode), text: label });
        b.addEventListener("click", () => {
          mode = value; field.dataset.kana = value;
          modes.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
          field.focus();
        });
        modes.append(b);
      });
      const converted = () => (field.dataset.kana === "off" ? field.value : window.HashiKana.finish(field.value));
      const value = () => (field.dataset.kana === "katakana" ? window.HashiKana.toKatakana(converted()) : converted());
      return { node: el("div", {}, [field, modes]), value, focus: field };
    }
    if (item.type === "ordering") {
      const chosen = [];
      const shown = el("p", { class: "ordering-chosen", "aria-live": "polite", lang: "ja" });
      const buttons = item.chunks.map((chunk) => {
        const b = el("button", { type: "button", class: "btn btn-outline-primary me-2 mb-2", lang: "ja" }, [rubyText(chunk)]);
        b.addEventListener("click", () => { chosen.push(chunk); b.disabled = true; shown.textContent = chosen.map((c) => c.replace(/\{([^|]+)\|[^}]+\}/g, "$1")).join(" "); });
        return b;
      });
      const undo = el("button", { type: "button", class: "btn btn-link", text: text.start_again });
      undo.addEventListener("click", () => { chosen.length = 0; buttons.forEach((b) => { b.disabled = false; }); shown.textContent = ""; });
      return { node: el("div", {}, [...buttons, shown, undo]), value: () => chosen, focus: buttons[0] };
    }
    const group = el("div", { role: "radiogroup", "aria-label": text.options });
    item.options.forEach((option, i) => {
      const id = `option-${i}`;
      group.append(el("div", { class: "form-check" }, [
        el("input", { class: "form-check-input", type: "radio", name: "option", id, value: option }),
        el("label", { class: "form-check-label", for: id }, [rubyText(option)]),
      ]));
    });
    return { node: group, value: () => (group.querySelector("input:checked") || {}).value, focus: group.querySelector("input") };
  }

  function show() {
    stage.replaceChildren();
    if (index >= session.items.length) return finish();
    const item = session.items[index];
    const form = el("form", { novalidate: "" });
    form.append(el("p", { class: "text-body-secondary small", text: `${index + 1} / ${session.items.length}` }));
    if (item.passage) form.append(el("div", { class: "passage mb-3" }, [rubyText(item.passage)]));
    if (item.type === "listening") form.append(el("audio", { controls: "", src: item.audio_url, preload: "none" }));
    if (item.word) form.append(el("p", { class: "prompt" }, [rubyText(`${item.word} → ${item.target_label}`)]));
    if (item.prompt) form.append(el("p", { class: "prompt" }, [rubyText(item.prompt)]));
    if (item.question) form.append(el("p", { class: "prompt" }, [rubyText(item.question)]));
    const answer = input(item);
    form.append(answer.node, el("button", { type: "submit", class: "btn btn-primary mt-3", text: text.check }));
    const key = `${session.session_id}-${item.id}-${Date.now()}`;
    const started = performance.now();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      form.querySelector('button[type="submit"]').disabled = true;
      try {
        const verdict = await post(`${root.dataset.answerUrl.replace("SESSION", session.session_id)}`,
          { item_id: item.id, answer: answer.value(), key, response_ms: Math.round(performance.now() - started) });
        feedback(item, verdict);
      } catch (error) {
        status.textContent = error.message;
        form.querySelector('button[type="submit"]').disabled = false;
      }
    });
    stage.append(form);
    if (answer.focus) answer.focus.focus();
  }

  function feedback(item, verdict) {
    const box = el("div", { class: `alert ${verdict.correct ? "alert-success" : "alert-danger"} mt-3`, role: "status" });
    box.append(el("p", { class: "fw-bold mb-1", text: verdict.correct ? text.right : text.wrong }));
    verdict.feedback.forEach((f) => {
      const line = el("p", { class: "mb-1" }, [f.message]);
      if (f.got) line.append(" ", el("mark", { lang: "ja", text: f.got }));
      box.append(line);
    });
    if (verdict.expected) box.append(el("p", { class: "mb-1" }, [`${text.answer}: `, rubyText(verdict.expected)]));
    if (verdict.explanation) box.append(el("p", { class: "mb-0 explanation" }, [rubyText(verdict.explanation)]));
    const next = el("button", { type: "button", class: "btn btn-primary mt-2", text: text.next });
    next.addEventListener("click", () => { index += 1; show(); });
    box.append(next);
    if (!verdict.correct) {
      const dispute = el("button", { type: "button", class: "btn btn-link mt-2", text: text.i_was_right });
      dispute.addEventListener("click", async () => {
        await post(root.dataset.disputeUrl.replace("RESPONSE", verdict.response_id), {});
        dispute.replaceWith(el("span", { class: "ms-2 small", text: text.dispute_sent }));
      });
      box.append(dispute);
    }
    stage.querySelector("form").append(box);
    next.focus();
  }

  async function finish() {
    const summary = await post(root.dataset.endUrl.replace("SESSION", session.session_id));
    stage.append(el("h2", { class: "h4", text: text.summary }),
      el("p", { text: `${summary.correct} / ${summary.asked}` }));
  }

  start();
})();

// How an item looks and is answered, shared by practice (practice.js) and the exam
// (exam.js): the prompt with ruby, the input for each question type, and reading an
// answer back out of it (or putting a saved one back in).
// Text from the server is never parsed as HTML: every node is built as DOM.
"use strict";
(() => {
  const el = (tag, attrs = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    children.forEach((c) => node.append(c));
    return node;
  };

  // {漢字|かんじ} as ruby. Only the author's markup becomes furigana: nothing is added, so
  // the word a kanji-reading or orthography item tests stays bare.
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
  const plain = (s) => String(s).replace(/\{([^{}|]+)\|[^{}|]+\}/g, "$1");

  const TYPED = ["reading", "meaning", "word", "conjugation", "sentence", "cloze"];
  let kanaMode = "on"; // romaji → hiragana; "katakana" or "off" once the trainee switches

  // What the item shows before the answer: passage, audio, prompt, question.
  function prompt(item) {
    const nodes = [];
    if (item.passage) nodes.push(el("div", { class: "passage mb-3" }, [rubyText(item.passage)]));
    if (item.type === "listening") nodes.push(el("audio", { controls: "", src: item.audio_url, preload: "none" }));
    if (item.word) nodes.push(el("p", { class: "prompt" }, [rubyText(`${item.word} → ${item.target_label}`)]));
    if (item.prompt) nodes.push(el("p", { class: "prompt" }, [rubyText(item.prompt)]));
    if (item.question) nodes.push(el("p", { class: "prompt" }, [rubyText(item.question)]));
    return nodes;
  }

  function typedInput(item, o) {
    const field = el("input", { type: "text", class: "form-control form-control-lg", id: `${o.prefix}answer`,
      autocomplete: "off", autocapitalize: "off", spellcheck: "false", "aria-label": o.label });
    const converted = () => (field.dataset.kana === "off" ? field.value : window.HashiKana.finish(field.value));
    const read = () => {
      if (item.type === "meaning") return field.value;
      return field.dataset.kana === "katakana" ? window.HashiKana.toKatakana(converted()) : converted();
    };
    const set = (v) => { field.value = typeof v === "string" ? v : ""; };
    const changed = () => o.onChange && o.onChange(read());
    field.addEventListener("change", changed);
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && o.onChange && !event.isComposing) { event.preventDefault(); changed(); }
    });
    if (item.type === "meaning") return { node: field, value: read, focus: field, set };
    field.lang = "ja";
    field.dataset.kana = kanaMode;
    window.HashiKana.attach(field);
    const modes = el("div", { class: "btn-group btn-group-sm mt-2", role: "group", "aria-label": o.text.typing });
    [["on", o.text.hiragana], ["katakana", o.text.katakana], ["off", o.text.no_conversion]].forEach(([value, label]) => {
      const b = el("button", { type: "button", class: "btn btn-outline-secondary", "aria-pressed": String(value === kanaMode), text: label });
      b.addEventListener("click", () => {
        kanaMode = value; field.dataset.kana = value;
        modes.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
        field.focus();
      });
      modes.append(b);
    });
    return { node: el("div", {}, [field, modes]), value: read, focus: field, set };
  }

  function orderingInput(item, o) {
    const chosen = [];
    const shown = el("p", { class: "ordering-chosen", "aria-live": "polite", lang: "ja" });
    const show = () => { shown.textContent = chosen.map(plain).join(" "); };
    const buttons = item.chunks.map((chunk) => {
      const b = el("button", { type: "button", class: "btn btn-outline-primary me-2 mb-2", lang: "ja" }, [rubyText(chunk)]);
      b.addEventListener("click", () => {
        chosen.push(chunk); b.disabled = true; show();
        if (o.onChange) o.onChange(chosen.slice());
      });
      return b;
    });
    const undo = el("button", { type: "button", class: "btn btn-link", text: o.text.start_again });
    const reset = () => { chosen.length = 0; buttons.forEach((b) => { b.disabled = false; }); show(); };
    undo.addEventListener("click", () => { reset(); if (o.onChange) o.onChange([]); });
    const set = (v) => {
      reset();
      (Array.isArray(v) ? v : []).forEach((chunk) => {
        const i = item.chunks.indexOf(chunk);
        if (i >= 0 && !buttons[i].disabled) { chosen.push(chunk); buttons[i].disabled = true; }
      });
      show();
    };
    return { node: el("div", {}, [...buttons, shown, undo]), value: () => chosen.slice(), focus: buttons[0], set };
  }

  function choiceInput(item, o) {
    const group = el("div", { role: "radiogroup", "aria-label": o.label || o.text.options });
    item.options.forEach((option, i) => {
      const id = `${o.prefix}option-${i}`;
      const radio = el("input", { class: "form-check-input", type: "radio", name: `${o.prefix}option`, id, value: option });
      radio.addEventListener("change", () => o.onChange && o.onChange(option));
      group.append(el("div", { class: "form-check" }, [radio, el("label", { class: "form-check-label", for: id }, [rubyText(option)])]));
    });
    const set = (v) => {
      group.querySelectorAll("input").forEach((r, i) => { r.checked = r.value === v || i === v; });
    };
    return { node: group, value: () => (group.querySelector("input:checked") || {}).value, focus: group.querySelector("input"), set };
  }

  // The input for an item: {node, value(), set(saved), focus}. Options: text (labels),
  // prefix (keeps ids apart when several items share a page), label (the input's
  // accessible name), onChange(value) (called as soon as an answer is given).
  function input(item, options) {
    const o = { prefix: "", label: options.text.your_answer, ...options };
    if (TYPED.includes(item.type)) return typedInput(item, o);
    if (item.type === "ordering") return orderingInput(item, o);
    return choiceInput(item, o);
  }

  window.HashiItems = { el, rubyText, plain, prompt, input };
})();

// The item editor: validation as the instructor types, option/accepted/script lists, and
// the "try an answer" panel (verdict and feedback codes from the real checker; a tried
// answer can become an accepted answer or a known wrong answer kept with the item).
"use strict";
(() => {
  const form = document.getElementById("editor");
  if (!form || !form.dataset.validateUrl) return;
  const { post, debounce, showProblems, lists, addRow, renumber, text } = window.HashiAuthoring;

  const validate = debounce(async () => {
    try { showProblems(form, (await post(form.dataset.validateUrl, new FormData(form))).problems); } catch (error) { /* the next edit retries */ }
  }, 500);
  form.addEventListener("input", (event) => { if (event.target.name !== "note") validate(); });
  form.addEventListener("change", validate);
  lists(form, validate);

  const panel = document.querySelector("[data-try]");
  if (!panel) return;
  const candidate = document.getElementById("candidate");
  const result = panel.querySelector("[data-try-result]");
  const actions = panel.querySelector("[data-try-actions]");
  const meaning = panel.dataset.itemType === "meaning";
  if (!meaning) window.HashiKana.attach(candidate);
  let last = null; // {answer, verdict}

  const el = (tag, attrs, children = []) => {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => { if (k === "text") node.textContent = v; else node.setAttribute(k, v); });
    children.forEach((c) => node.append(c));
    return node;
  };

  panel.querySelector("[data-try-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = meaning ? candidate.value.trim() : window.HashiKana.finish(candidate.value.trim());
    candidate.value = answer;
    const fields = new FormData(form);
    fields.append("candidate", answer);
    try {
      const verdict = await post(form.dataset.tryUrl, fields);
      last = { answer, verdict };
      show(verdict);
    } catch (error) { result.replaceChildren(el("p", { class: "text-danger", text: error.message })); }
  });

  function show(verdict) {
    if (verdict.problem) {
      result.replaceChildren(el("p", { class: "text-danger mb-0", text: verdict.problem }));
      actions.hidden = true;
      return;
    }
    const box = el("div", { class: `alert ${verdict.correct ? "alert-success" : "alert-danger"} mb-0` });
    box.append(el("p", { class: "fw-bold mb-1", text: verdict.correct ? text.right : text.wrong }));
    verdict.feedback.forEach((f) => {
      const line = el("p", { class: "mb-1" }, [el("code", { class: "me-2 feedback-code text-reset fw-bold", text: f.code }), f.message]);
      if (f.got) line.append(" ", el("mark", { lang: "ja", text: f.got }));
      box.append(line);
    });
    result.replaceChildren(box);
    actions.hidden = false;
    panel.querySelector("[data-add-accepted]").hidden = verdict.correct;
    panel.querySelector("[data-keep-wrong]").hidden = verdict.correct || !verdict.codes.length;
  }

  panel.querySelector("[data-add-accepted]").addEventListener("click", () => {
    if (!last) return;
    const list = form.querySelector('[data-list="accepted"]');
    const row = addRow(list);
    row.querySelector('input[name="accepted"]').value = last.answer;
    result.append(el("p", { class: "small mt-2 mb-0", text: text.added }));
    actions.hidden = true;
    validate();
  });

  panel.querySelector("[data-keep-wrong]").addEventListener("click", () => {
    if (!last || last.verdict.correct) return;
    const code = last.verdict.codes[0];
    const list = form.querySelector('[data-list="cases"]');
    const row = addRow(list);
    row.querySelector("[data-case-answer]").value = last.answer;
    row.querySelector("[data-case-code]").value = code;
    row.querySelector("[data-case-answer-text]").textContent = last.answer;
    row.querySelector("[data-case-code-text]").textContent = code;
    renumber(list);
    result.append(el("p", { class: "small mt-2 mb-0", text: text.kept.replace("CODE", code) }));
    actions.hidden = true;
    validate();
  });
})();

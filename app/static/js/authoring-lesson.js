// The lesson editor: a live preview (rendered by the server exactly as the lesson page)
// and furigana for a selection, with the engine's reading suggested and editable.
"use strict";
(() => {
  const form = document.getElementById("editor");
  if (!form || !form.dataset.previewUrl) return;
  const { post, debounce, showProblems, text } = window.HashiAuthoring;
  const preview = document.querySelector("[data-preview]");
  const status = document.querySelector("[data-preview-status]");

  const refresh = debounce(async () => {
    try {
      const data = await post(form.dataset.previewUrl, new FormData(form));
      // The server's lesson renderer escapes everything authored (HTML is disabled).
      const doc = new DOMParser().parseFromString(data.html, "text/html");
      preview.replaceChildren(...doc.body.childNodes);
      showProblems(form, data.problems);
      status.textContent = text.updated;
    } catch (error) { status.textContent = error.message; }
  }, 400);
  form.addEventListener("input", (event) => { if (event.target.name !== "note") refresh(); });
  form.addEventListener("change", refresh);

  // Furigana for the selected text: {漢字|よみ}, the reading suggested by the engine.
  const body = document.getElementById("f-body");
  const helper = document.querySelector("[data-furigana-helper]");
  const word = helper.querySelector("[data-furigana-word]");
  const readingInput = document.getElementById("furigana-reading");
  let range = null;

  document.querySelector("[data-furigana-button]").addEventListener("click", async () => {
    const [start, end] = [body.selectionStart, body.selectionEnd];
    const selected = body.value.slice(start, end).trim();
    if (!selected) { status.textContent = text.select_first; body.focus(); return; }
    range = [start, end, selected];
    const fields = new FormData();
    fields.append("text", selected);
    word.textContent = selected;
    readingInput.value = "";
    helper.hidden = false;
    try {
      const data = await post(form.dataset.furiganaUrl, fields);
      readingInput.value = data.reading;
    } catch (error) { status.textContent = error.message; }
    readingInput.focus();
    readingInput.select();
  });

  function insert() {
    const kana = readingInput.value.trim();
    if (!range || !kana) return;
    const [start, end, selected] = range;
    const annotated = `{${selected}|${kana}}`;
    body.setRangeText(annotated, start, end, "end");
    helper.hidden = true;
    range = null;
    body.focus();
    refresh();
  }
  helper.querySelector("[data-furigana-insert]").addEventListener("click", insert);
  readingInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing) { event.preventDefault(); insert(); }
    if (event.key === "Escape") { helper.hidden = true; body.focus(); }
  });
  helper.querySelector("[data-furigana-cancel]").addEventListener("click", () => { helper.hidden = true; body.focus(); });
})();

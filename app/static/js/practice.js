// A practice session, one item at a time, answered with the keyboard alone.
// Items arrive without their keys; each answer is posted with a key of its own so a
// retry stores it once, and only a stored verdict is shown as graded.
"use strict";
(() => {
  const root = document.getElementById("practice");
  if (!root) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = JSON.parse(document.getElementById("practice-text").textContent);
  const { el, rubyText } = window.HashiItems;
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
  let index = 0;
  const stage = root.querySelector("[data-stage]");
  const status = root.querySelector("[data-status]");

  async function start() {
    try {
      session = await post(root.dataset.startUrl);
      show();
    } catch (error) { status.textContent = error.message; }
  }

  function show() {
    stage.replaceChildren();
    if (index >= session.items.length) return finish();
    const item = session.items[index];
    const form = el("form", { novalidate: "" });
    form.append(el("p", { class: "text-body-secondary small", text: `${index + 1} / ${session.items.length}` }));
    form.append(...window.HashiItems.prompt(item));
    const answer = window.HashiItems.input(item, { text });
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
      el("p", { text: `${summary.correct} / ${summary.asked}` }),
      el("p", {}, [el("a", { href: root.dataset.reviewUrl.replace("SESSION", session.session_id),
        text: text.review_session })]));
  }

  start();
})();

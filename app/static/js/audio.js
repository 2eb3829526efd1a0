// Play a sentence's audio when its ▶ button is pressed (the page has no inline script).
document.addEventListener("click", (event) => {
  const button = event.target.closest(".audio-button");
  if (!button) return;
  const audio = new Audio(button.dataset.audioSrc);
  button.disabled = true;
  audio.addEventListener("ended", () => { button.disabled = false; });
  audio.addEventListener("error", () => { button.disabled = false; });
  audio.play().catch(() => { button.disabled = false; });
});

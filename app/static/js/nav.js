// The menu button on narrow screens. Bootstrap's own script (80 KB with Popper) did only
// this here, so the pages stay lighter with these few lines instead.
(() => {
  const button = document.querySelector(".navbar-toggler");
  const menu = button && document.querySelector(button.dataset.target);
  if (!menu) return;
  button.addEventListener("click", () => {
    const open = menu.classList.toggle("show");
    button.setAttribute("aria-expanded", String(open));
  });
})();

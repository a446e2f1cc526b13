// Projector mode: arrow keys, space and page keys move between screens (a presenter's
// clicker sends PageUp/PageDown); Escape leaves; "r" reveals the hidden answer.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const go = (selector) => {
    const link = document.querySelector(selector);
    if (link) { event.preventDefault(); window.location.assign(link.href); }
  };
  if (["ArrowRight", "PageDown", " "].includes(event.key)) go('a[rel="next"]');
  else if (["ArrowLeft", "PageUp"].includes(event.key)) go('a[rel="prev"]');
  else if (event.key === "Escape") go("a[data-exit]");
  else if (event.key === "r") {
    const details = document.querySelector("details.reveal");
    if (details) details.open = !details.open;
  }
});

// A slide with more than a screen of text (a decision with ten options, a long comment)
// shrinks its type until it fits the screen, as presentation software does, but not below
// 14 px; the stylesheet's sizes fit most slides on their own (and without this script).
// Set through the CSSOM, which the Content-Security-Policy leaves to scripts of our own.
const MIN_TYPE = 14;
function fitTheScreen() {
  const root = document.documentElement;
  root.style.removeProperty("font-size");
  let size = parseFloat(getComputedStyle(root).fontSize);
  const overflows = () =>
    root.scrollHeight > window.innerHeight || root.scrollWidth > window.innerWidth;
  while (size > MIN_TYPE && overflows()) {
    size -= 1;
    root.style.fontSize = `${size}px`;
  }
}
fitTheScreen();
window.addEventListener("resize", fitTheScreen);
// Revealing the answer adds text: fit again (toggle does not bubble, so capture it).
document.addEventListener("toggle", fitTheScreen, true);

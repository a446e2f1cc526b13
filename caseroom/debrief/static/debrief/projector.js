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

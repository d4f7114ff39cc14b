// Texts that scripts show (from the page's data-i18n-* attributes) and that the server could only give in another
// language than the page's, Vietnamese most often: the server lists them in #portal-fallback-langs. When a script
// puts one into the page, its element gets that lang, so a screen reader reads it with the right voice.
const listed = document.getElementById("portal-fallback-langs");
const fallbacks = listed ? JSON.parse(listed.textContent) : [];

if (fallbacks.length && "MutationObserver" in window) {
  // "{count} results" in the attribute: any text where {count} stands.
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = fallbacks.map(([text, lang]) =>
    [new RegExp("^" + text.split(/\{[a-z]+\}/).map(escape).join(".+") + "$"), lang]);
  const mark = (element) => {
    if (!element || element.nodeType !== Node.ELEMENT_NODE) return;
    const text = element.textContent.replace(/\s+/g, " ").trim();
    const found = text && patterns.find(([pattern]) => pattern.test(text));
    if (found && element.closest("[lang]")?.getAttribute("lang") !== found[1]) element.lang = found[1];
    else if (!found && element.dataset.fallbackLang) element.removeAttribute("lang");
    if (found) element.dataset.fallbackLang = found[1];
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      mark(change.type === "characterData" ? change.target.parentElement : change.target);
      for (const node of change.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) mark(node);
    }
  }).observe(document.body, { childList: true, characterData: true, subtree: true });
}

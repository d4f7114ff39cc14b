// "Read this page aloud" with the browser's speech synthesis. The main content is read in document order, one
// utterance per block (a pause between blocks) and per language (the closest `lang`), each with a voice for its
// own language: Vietnamese fallback text inside a H'Mông page is read by a Vietnamese voice, never a wrong one.
// Passages in a language the phone has no voice for are skipped, and the status says so plainly.
const root = document.querySelector('[data-module="read-aloud"]');

const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, dt, dd, td, th, label, legend, caption, summary, figcaption, '
  + 'blockquote, pre, address, div, section, article, aside, header, footer, nav, details, fieldset, main';
const SKIP = '[data-module="read-aloud"], form, script, style, template, noscript, [hidden], [aria-hidden="true"]';

const primary = (tag) => (tag || '').toLowerCase().replace('_', '-').split('-')[0];

// [{text, lang}] for the main content: a new passage wherever the block or the language changes, or at a <br>.
const passages = (main) => {
  const found = [];
  let last = null;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (node.tagName === 'BR') last = null;
      continue;
    }
    const parent = node.parentElement;
    if (parent.closest(SKIP) || (parent.checkVisibility && !parent.checkVisibility())) continue;
    const text = node.data.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const block = parent.closest(BLOCKS) || main;
    const lang = parent.closest('[lang]')?.getAttribute('lang') || '';
    if (last && last.block === block && last.lang === lang) last.text += ` ${text}`; // never run words together
    else found.push((last = { block, lang, text }));
  }
  // Punctuation left between two languages ("(", "; ") is not worth a voice.
  return found.filter((passage) => /[\p{L}\p{N}]/u.test(passage.text));
};

// Chromium fills the voice list asynchronously: wait briefly for it on the first press.
const voices = () => new Promise((resolve) => {
  const now = window.speechSynthesis.getVoices();
  if (now.length) { resolve(now); return; }
  const done = () => resolve(window.speechSynthesis.getVoices());
  window.speechSynthesis.addEventListener('voiceschanged', done, { once: true });
  setTimeout(done, 1500);
});

if (root && 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function') {
  const button = root.querySelector('[data-read-aloud-button]');
  const status = root.querySelector('[data-read-aloud-status]');
  const say = root.dataset;
  let reading = false;
  root.hidden = false;

  const show = (isReading, ...messages) => {
    reading = isReading;
    button.textContent = isReading ? say.i18nStop : say.i18nRead;
    button.setAttribute('aria-pressed', String(isReading));
    status.textContent = messages.filter(Boolean).join(' ');
  };

  button.addEventListener('click', async () => {
    if (reading) {
      window.speechSynthesis.cancel();
      show(false, say.i18nStopped);
      return;
    }
    const available = await voices();
    const voiceFor = (lang) => available.find((voice) => primary(voice.lang) === primary(lang));
    const all = passages(document.querySelector('main'));
    const readable = all.map((passage) => ({ ...passage, voice: voiceFor(passage.lang) }))
      .filter((passage) => passage.voice);
    if (!readable.length) {
      show(false, say.i18nNoVoice);
      return;
    }
    const partly = readable.length < all.length ? say.i18nPartly : '';
    window.speechSynthesis.cancel();
    readable.forEach((passage, index) => {
      // One utterance per passage: its own language and voice, and some engines stop long utterances part-way.
      const utterance = new SpeechSynthesisUtterance(passage.text);
      utterance.lang = passage.lang;
      utterance.voice = passage.voice;
      if (index === readable.length - 1) utterance.onend = () => show(false, say.i18nDone, partly);
      utterance.onerror = () => show(false, say.i18nStopped);
      window.speechSynthesis.speak(utterance);
    });
    show(true, say.i18nReading, partly);
  });
} else if (root) {
  root.dataset.cannotSpeak = ''; // portal.css kept its room for the button: give it back
}

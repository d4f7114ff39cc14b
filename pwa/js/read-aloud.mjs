// "Read this page aloud" with the browser's speech synthesis, in the page's language.
// Where the phone has no voice for that language, say so plainly instead of reading in a wrong voice.
const root = document.querySelector('[data-module="read-aloud"]');

if (root && 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function') {
  const button = root.querySelector('[data-read-aloud-button]');
  const status = root.querySelector('[data-read-aloud-status]');
  const lang = document.documentElement.lang.toLowerCase();
  let reading = false;
  root.hidden = false;

  const voiceFor = () =>
    window.speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().replace('_', '-').split('-')[0] === lang);

  const paragraphs = () => {
    const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll('[data-module="read-aloud"], form, script').forEach((node) => node.remove());
    return main.innerText.split(/\n+/).map((line) => line.trim()).filter(Boolean);
  };

  const show = (isReading, message) => {
    reading = isReading;
    button.textContent = isReading ? root.dataset.i18nStop : root.dataset.i18nRead;
    button.setAttribute('aria-pressed', String(isReading));
    status.textContent = message || '';
  };

  button.addEventListener('click', () => {
    if (reading) {
      window.speechSynthesis.cancel();
      show(false, root.dataset.i18nStopped);
      return;
    }
    const voice = voiceFor();
    if (!voice) {
      show(false, root.dataset.i18nNoVoice);
      return;
    }
    const lines = paragraphs();
    lines.forEach((line, index) => {
      // One utterance per paragraph: some engines stop long utterances part-way.
      const utterance = new SpeechSynthesisUtterance(line);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      if (index === lines.length - 1) utterance.onend = () => show(false, root.dataset.i18nDone);
      utterance.onerror = () => show(false, root.dataset.i18nStopped);
      window.speechSynthesis.speak(utterance);
    });
    show(true, root.dataset.i18nReading);
  });
}

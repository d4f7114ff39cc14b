// The "your payment is being confirmed" page: ask the portal every few seconds whether the payment is settled
// and, when it is, say so in the page's status region (a live region: screen readers announce the change) and
// turn "Refresh" into "Open the result". The page never reloads or leaves by itself (WCAG 2.2.1): the person
// goes on when ready. Without JavaScript, or when fetch is missing, the "Refresh" link does the same by hand.
const region = document.querySelector('[data-module="payment-status"]');
const EVERY_MS = 4000;
const GIVE_UP_AFTER = 75; // about five minutes; then "Refresh" still works

if (region && region.dataset.statusUrl && typeof window.fetch === 'function') {
  const refresh = document.querySelector('[data-payment-refresh]');
  const hint = document.querySelector('[data-payment-hint]');
  if (hint && hint.dataset.i18nAuto) hint.textContent = hint.dataset.i18nAuto;
  let asked = 0;

  const say = (text) => {
    const paragraph = document.createElement('p');
    paragraph.textContent = text;
    region.replaceChildren(paragraph);
  };

  const finish = (text) => {
    say(text);
    if (hint) hint.hidden = true;
    if (refresh && refresh.dataset.i18nDone) {
      refresh.textContent = refresh.dataset.i18nDone;
      refresh.classList.remove('button--secondary');
    }
  };

  const ask = async () => {
    asked += 1;
    try {
      const response = await fetch(region.dataset.statusUrl, {
        credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' },
      });
      if (response.ok) {
        const answer = await response.json();
        if (answer.settled) {
          finish(answer.status === 'paid' ? region.dataset.i18nPaid : region.dataset.i18nEnded);
          return;
        }
      }
    } catch (error) {
      // Offline for a moment: ask again at the next turn.
    }
    if (asked >= GIVE_UP_AFTER) {
      if (hint) hint.hidden = true;
      say(region.dataset.i18nGaveUp);
      return;
    }
    window.setTimeout(ask, EVERY_MS);
  };

  window.setTimeout(ask, EVERY_MS);
}

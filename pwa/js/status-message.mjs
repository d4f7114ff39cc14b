// After an action, the page that comes back says what changed in a status message. Move focus to it, so a
// screen reader reads it out (a live region already on the page when it loads is not announced) and keyboard
// users carry on from there. An error summary, when there is one, keeps the focus instead.
const message = document.querySelector('[data-module="status-message"]');
if (message && !document.querySelector('[data-module="error-summary"]:not([hidden])')) {
  message.focus();
}

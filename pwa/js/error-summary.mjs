// Move focus to the error summary so screen readers announce it and keyboard users start there.
const summary = document.querySelector('[data-module="error-summary"]');
if (summary) {
  summary.focus();
}

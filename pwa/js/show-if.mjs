// A question asked only for some answers given on the same page (show_if, issue 18). Without JavaScript it is
// always shown, and the server checks and keeps it only when its condition holds; here it is hidden until the
// condition holds, and shown as soon as it does. A condition on an earlier page's answer was decided by the
// server already (the question would not be on the page otherwise). The rule is backend/catalogue/conditions.py's.
const valuesOf = (form, name) => {
  const controls = [...form.elements].filter((c) => c.name === name || c.name === `${name}[]`);
  if (!controls.length) return null;
  if (controls[0].closest('[data-show-if]')?.hidden) return []; // a skipped question counts as not answered
  return controls
    .filter((c) => !['radio', 'checkbox'].includes(c.type) || c.checked)
    .map((c) => c.value.trim())
    .filter(Boolean);
};

const holds = (form, condition) => {
  const values = valuesOf(form, condition.field);
  if (values === null) return true;
  if ('in' in condition) return values.some((v) => condition.in.map(String).includes(v));
  if ('not_in' in condition) return !values.some((v) => condition.not_in.map(String).includes(v));
  if ('answered' in condition) return (values.length > 0) === Boolean(condition.answered);
  return true;
};

const parts = [...document.querySelectorAll('[data-show-if]')];
const update = () => {
  for (const part of parts) {
    const form = part.closest('form');
    try {
      part.hidden = !JSON.parse(part.dataset.showIf).every((c) => holds(form, c));
    } catch {
      part.hidden = false; // a condition it cannot read: the question stays, as without JavaScript
    }
  }
};
for (const form of new Set(parts.map((part) => part.closest('form')).filter(Boolean))) {
  form.addEventListener('input', update);
  form.addEventListener('change', update);
}
update();

// A part of a form that matters only for one choice (the delivery address under "At home by post"). Without
// JavaScript it is always shown and the server reads it only for that choice; here it is hidden until the choice
// is picked, and shown again as soon as it is (fields in error are always under a picked choice).
for (const part of document.querySelectorAll('[data-reveal-when]')) {
  const choice = document.getElementById(part.dataset.revealWhen);
  if (!choice || !choice.form) continue;
  const update = () => {
    part.hidden = !choice.checked;
  };
  for (const radio of choice.form.querySelectorAll(`input[type="radio"][name="${CSS.escape(choice.name)}"]`)) {
    radio.addEventListener('change', update);
  }
  update();
}

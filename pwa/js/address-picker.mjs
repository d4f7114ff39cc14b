// The delivery address picker. Without JavaScript the form works in two steps: choose the province, press
// "Show communes and wards", choose the ward. Here the wards load as soon as the province changes, and a
// search box filters them as the citizen types (accents optional), with the number of matches announced.
// Strings come from the form's data-i18n-* attributes, translated by the server.

const fold = (text) =>
  text.replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

class AddressPicker {
  constructor(form) {
    this.form = form;
    this.province = form.querySelector('#province');
    this.ward = form.querySelector('#ward');
    this.i18n = form.dataset;
    // The wards the server rendered (after the no-JavaScript step or an error), if any.
    this.wards = [...this.ward.options].filter((o) => o.value).map((o) => ({ code: o.value, name: o.text }));
  }

  start() {
    const button = this.form.querySelector('[data-show-wards]');
    if (button) button.hidden = true;
    this.addSearch();
    this.province.addEventListener('change', () => this.load());
    this.search.addEventListener('input', () => this.filter(true));
    // Enter in the search box goes to the list of matches rather than sending the form half filled.
    this.search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.ward.focus();
      }
    });
    this.search.disabled = !this.province.value;
    document.getElementById('ward-hint')?.remove();
    this.forgetHint();
    if (this.province.value && !this.wards.length) this.load();
  }

  // The "press Show communes and wards" hint is gone; the error message, when there is one, stays attached.
  forgetHint() {
    const ids = (this.ward.getAttribute('aria-describedby') || '').split(/\s+/).filter((id) => id && id !== 'ward-hint');
    if (ids.length) this.ward.setAttribute('aria-describedby', ids.join(' '));
    else this.ward.removeAttribute('aria-describedby');
  }

  addSearch() {
    const field = document.createElement('div');
    field.className = 'field ward-search';
    const label = document.createElement('label');
    label.htmlFor = 'ward-search';
    label.textContent = this.i18n.i18nSearch;
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.id = 'ward-search-hint';
    hint.textContent = this.i18n.i18nSearchHint;
    this.search = document.createElement('input');
    Object.assign(this.search, { id: 'ward-search', type: 'search', autocomplete: 'off' });
    this.search.setAttribute('aria-describedby', 'ward-search-hint ward-search-status');
    this.search.setAttribute('aria-controls', 'ward');
    this.status = document.createElement('p');
    Object.assign(this.status, { id: 'ward-search-status', className: 'hint' });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    field.append(label, hint, this.search, this.status);
    this.ward.closest('[data-ward-field]').before(field);
  }

  async load() {
    this.wards = [];
    this.search.value = '';
    this.search.disabled = !this.province.value;
    if (!this.province.value) {
      this.render([], this.i18n.i18nChooseProvince);
      this.status.textContent = '';
      return;
    }
    this.render([], this.i18n.i18nLoading);
    const url = this.form.dataset.wardsUrl.replace('{province}', encodeURIComponent(this.province.value));
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      this.wards = await response.json();
    } catch {
      this.render([], this.i18n.i18nChooseProvince);
      this.status.textContent = this.i18n.i18nFailed;
      const button = this.form.querySelector('[data-show-wards]');
      if (button) button.hidden = false; // the two-step way still works
      return;
    }
    this.filter(true);
  }

  filter(announce) {
    const words = fold(this.search.value).split(/\s+/).filter(Boolean);
    const matches = this.wards.filter((w) => words.every((word) => fold(w.name).includes(word)));
    this.render(matches, this.i18n.i18nChoose);
    if (!announce) return;
    const n = matches.length;
    this.status.textContent =
      n === 0 ? this.i18n.i18nNone : n === 1 ? this.i18n.i18nOne : this.i18n.i18nMany.replace('{count}', n);
  }

  render(wards, placeholder) {
    const chosen = this.ward.value;
    const first = new Option(placeholder, '');
    this.ward.replaceChildren(first, ...wards.map((w) => new Option(w.name, w.code, false, w.code === chosen)));
    if (wards.length === 1) this.ward.value = wards[0].code; // one match: it is the one
  }
}

for (const form of document.querySelectorAll('form[data-module="address-picker"]')) {
  if ('fetch' in window && 'normalize' in String.prototype) new AddressPicker(form).start();
}

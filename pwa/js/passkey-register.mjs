// "Add a passkey" on the account page: create a discoverable, user-verified credential for this account.
import { PasskeyWidget, browserErrorMessage, go, creationOptions, credentialJSON, postJSON } from './webauthn.mjs';

const root = document.querySelector('[data-module="passkey-register"]');
if (root) {
  const widget = new PasskeyWidget(root);
  widget.enable(async (csrf) => {
    const begin = await postJSON('/account/passkeys/begin', {}, csrf);
    if (!begin.ok) return widget.fail(begin.data.error);
    let credential;
    try {
      credential = await navigator.credentials.create({ publicKey: creationOptions(begin.data) });
    } catch (error) {
      return widget.fail(browserErrorMessage(error, root));
    }
    const name = widget.form.querySelector('[name="name"]').value;
    const done = await postJSON('/account/passkeys/complete', { credential: credentialJSON(credential), name }, csrf);
    if (!done.ok) return widget.fail(done.data.error);
    go(done.data.redirect);
  });
}

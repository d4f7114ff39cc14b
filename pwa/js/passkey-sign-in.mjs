// "Sign in with a passkey": a discoverable credential names the account, so no phone number is typed.
import { PasskeyWidget, browserErrorMessage, go, credentialJSON, postJSON, requestOptions } from './webauthn.mjs';

const root = document.querySelector('[data-module="passkey-sign-in"]');
if (root) {
  const widget = new PasskeyWidget(root);
  widget.enable(async (csrf) => {
    const begin = await postJSON('/sign-in/passkey/begin', {}, csrf);
    if (!begin.ok) return widget.fail(begin.data.error);
    let credential;
    try {
      credential = await navigator.credentials.get({ publicKey: requestOptions(begin.data) });
    } catch (error) {
      return widget.fail(browserErrorMessage(error, root));
    }
    const done = await postJSON('/sign-in/passkey/complete', { credential: credentialJSON(credential), next: root.dataset.next }, csrf);
    if (!done.ok) return widget.fail(done.data.error);
    go(done.data.redirect);
  });
}

// Passkey plumbing shared by sign-in and registration: JSON <-> WebAuthn objects, posting, messages.
// Feature-detect first; callers do nothing where the browser cannot use passkeys.

const toBytes = (b64url) => {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64url.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
};
const toB64url = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const passkeysSupported = () =>
  typeof window.PublicKeyCredential === 'function' && !!navigator.credentials && window.isSecureContext;

const withIds = (list) => (list || []).map((c) => ({ ...c, id: toBytes(c.id) }));

export function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: toBytes(json.challenge),
    user: { ...json.user, id: toBytes(json.user.id) },
    excludeCredentials: withIds(json.excludeCredentials),
  };
}

export function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return { ...json, challenge: toBytes(json.challenge), allowCredentials: withIds(json.allowCredentials) };
}

export function credentialJSON(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const response = { clientDataJSON: toB64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toB64url(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = toB64url(r.authenticatorData);
    response.signature = toB64url(r.signature);
    response.userHandle = r.userHandle ? toB64url(r.userHandle) : null;
  }
  return {
    id: credential.id,
    rawId: toB64url(credential.rawId),
    type: credential.type,
    response,
    authenticatorAttachment: credential.authenticatorAttachment || null,
    clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
  };
}

export async function postJSON(url, body, csrfToken) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrftoken': csrfToken },
    body: JSON.stringify(body),
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    // an error page instead of JSON: the generic message below covers it
  }
  return { ok: response.ok, data };
}

// The server renders every message in the page's language (data-i18n-*): one catalogue, not two.
export function browserErrorMessage(error, root) {
  if (error && error.name === 'NotAllowedError') return root.dataset.i18nCancelled;
  if (error && error.name === 'InvalidStateError' && root.dataset.i18nExists) return root.dataset.i18nExists;
  return root.dataset.i18nFailed;
}

// A passkey widget: hides the "cannot use passkeys" text, shows the form, reports progress and errors.
export class PasskeyWidget {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector('[data-passkey-form]');
    this.status = root.querySelector('[data-passkey-status]');
    this.error = document.querySelector('[data-passkey-error]');
  }

  enable(onSubmit) {
    if (!passkeysSupported() || !this.form) return;
    this.root.querySelector('[data-passkey-unavailable]')?.setAttribute('hidden', '');
    this.form.hidden = false;
    this.form.addEventListener('submit', async (event) => {
      event.preventDefault();
      this.clear();
      this.busy(true);
      try {
        await onSubmit(this.form.querySelector('[name="_csrf_token"]').value);
      } finally {
        this.busy(false);
      }
    });
  }

  busy(on) {
    const button = this.form.querySelector('button');
    button.disabled = on;
    this.status.textContent = on ? this.root.dataset.i18nWorking : '';
  }

  clear() {
    if (this.error) this.error.hidden = true;
  }

  fail(message) {
    this.status.textContent = '';
    if (!this.error) return;
    this.error.querySelector('[data-passkey-error-text]').textContent = message || this.root.dataset.i18nFailed;
    this.error.hidden = false;
    this.error.focus();
  }
}

// Go to the server's next page. A link to the same page with another #fragment would only scroll: reload instead.
export function go(url) {
  const target = new URL(url, window.location.href);
  if (target.pathname === window.location.pathname && target.search === window.location.search) {
    window.history.replaceState(null, '', target.href);
    window.location.reload();
  } else {
    window.location.assign(target.href);
  }
}

// "Get notifications on this device": asks the browser only when the citizen presses the button, then hands the
// subscription to the portal. Without a service worker or Web Push the page keeps saying that SMS is used.
const root = document.querySelector('[data-module="push-opt-in"]');

const keyBytes = (b64url) => {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64url.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
};

const supported = () =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;

async function registration() {
  // The app shell registers /sw.js; wait for it a little, never forever.
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 5000));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

class Refused extends Error {}

async function send(method, body, csrf) {
  const response = await fetch('/api/v1/push/subscriptions', {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrftoken': csrf },
    body: JSON.stringify(body),
  });
  if (response.ok) return true;
  // The portal says why in the page's language (another account holds this device, ten devices already).
  const answer = await response.json().catch(() => ({}));
  throw new Refused(typeof answer.error === 'string' ? answer.error : '');
}

async function start() {
  if (!root || !supported()) return;
  const reg = await registration();
  if (!reg) return;
  const form = root.querySelector('[data-push-form]');
  const on = root.querySelector('[data-push-turn-on]');
  const off = root.querySelector('[data-push-turn-off]');
  const status = root.querySelector('[data-push-status]');
  const csrf = form.querySelector('[name="_csrf_token"]').value;
  const show = (subscribed) => {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  };
  root.querySelector('[data-push-unavailable]').hidden = true;
  form.hidden = false;
  show(Boolean(await reg.pushManager.getSubscription()) && Notification.permission === 'granted');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const turningOn = !on.hidden;
    const hadFocus = form.contains(document.activeElement);
    on.disabled = off.disabled = true;
    status.textContent = root.dataset.i18nWorking;
    try {
      if (turningOn) {
        if ((await Notification.requestPermission()) !== 'granted') {
          status.textContent = root.dataset.i18nDenied;
          return;
        }
        const subscription = await reg.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(root.dataset.key),
        });
        await send('POST', subscription.toJSON(), csrf);
        show(true);
        status.textContent = root.dataset.i18nOn;
      } else {
        const subscription = await reg.pushManager.getSubscription();
        if (subscription) {
          await send('DELETE', { endpoint: subscription.endpoint }, csrf).catch(() => false); // off here anyway
          await subscription.unsubscribe();
        }
        show(false);
        status.textContent = root.dataset.i18nOff;
      }
    } catch (error) {
      status.textContent = (error instanceof Refused && error.message) || root.dataset.i18nFailed;
    } finally {
      on.disabled = off.disabled = false;
      // The pressed button may now be hidden: keep the keyboard in the form, on the button shown.
      if (hadFocus) (on.hidden ? off : on).focus();
    }
  });
}

start();

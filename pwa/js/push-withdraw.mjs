// "Withdraw consent to notifications" on /my/data: before the form is sent, this browser also drops its own push
// subscription, so the push service forgets it too. The server deletes every subscription of the account either
// way; without JavaScript or Web Push the form is sent as it is.
const form = document.querySelector('form[data-push-withdraw]');

async function dropOwnSubscription() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return;
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 2000));
  const reg = await Promise.race([navigator.serviceWorker.getRegistration(), timeout]);
  if (!reg) return;
  const subscription = await Promise.race([reg.pushManager.getSubscription(), timeout]);
  if (subscription) await Promise.race([subscription.unsubscribe(), timeout]);
}

if (form) {
  form.addEventListener('submit', async (event) => {
    if (form.dataset.sending) return; // the second, real submit
    event.preventDefault();
    form.dataset.sending = '1';
    try {
      await dropOwnSubscription();
    } catch {
      // The server still removes the subscription: the push service then answers "gone" and it is not used.
    }
    form.submit();
  });
}

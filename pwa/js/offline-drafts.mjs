// Offline drafts. A form marked data-offline that cannot reach the portal is kept on this phone (IndexedDB,
// see outbox.js) with its idempotency key; the page says so, lists what is kept, and sends it when the
// connection returns (the "online" event, the next visit, or Background Sync in the service worker).
const shell = document.querySelector('[data-module="app-shell"]');
const text = shell ? shell.dataset : {};
const user = shell ? shell.dataset.user : "";
const status = shell && shell.querySelector("[data-pwa-status]");
let flushing = null;
let retry = null;

async function outbox() {
  if (!self.portalOutbox) await import(text.outbox);
  return self.portalOutbox;
}

function say(message) {
  if (!status || !message) return;
  status.textContent = "";
  setTimeout(() => { status.textContent = message; }, 100); // a change, so screen readers announce it
}

// A form's address: form.action is shadowed by a control named "action" (the check page's send buttons).
const target = (form) => new URL(form.getAttribute("action") || location.href, location.href).href;
const freshKey = () => (self.crypto && crypto.randomUUID ? crypto.randomUUID() : null);
const fields = (form) => [...new FormData(form)].filter(([, value]) => typeof value === "string");

// Only the forms of the account this page was made for (its user tag): another account's are never shown.
async function showPending() {
  const box = await outbox();
  const items = user ? await box.all(user) : [];
  // The app shell loads this module on any page while the phone holds forms of anyone (their owner may be back).
  if ((await box.all()).length) localStorage.setItem("portal-outbox", "1");
  else localStorage.removeItem("portal-outbox");
  for (const section of document.querySelectorAll("[data-offline-drafts]")) {
    const list = section.querySelector("[data-offline-list]");
    list.replaceChildren(...items.map((item) => {
      const entry = document.createElement("li");
      const link = document.createElement("a");
      link.href = item.page;
      link.textContent = item.label;
      const time = new Date(item.savedAt).toLocaleTimeString(document.documentElement.lang, { timeStyle: "short" });
      entry.append(link, " – ", (text.i18nSavedAt || "{time}").replace("{time}", time));
      return entry;
    }));
    section.hidden = !items.length;
  }
  if (items.length && !retry) retry = setInterval(() => navigator.onLine && flushSoon(), 20000);
  if (!items.length && retry) retry = clearInterval(retry);
  return items;
}

function syncLater() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.sync && registration.sync.register("portal-outbox"))
    .catch(() => {}); // no Background Sync: the next visit or the "online" event sends it
}

async function keep(form) {
  const key = form.elements.idempotency_key.value;
  const answers = fields(form).filter(([name]) => name !== "idempotency_key");
  const csrf = (answers.find(([name]) => name === "_csrf_token") || [])[1];
  await (await outbox()).add({
    key, action: target(form), fields: answers, csrf, user, page: location.pathname, savedAt: Date.now(),
    label: form.dataset.offlineLabel || document.title,
  });
  form.elements.idempotency_key.value = freshKey() || key; // a later save is another request
  syncLater();
  await showPending();
  if (form.dataset.offlineNext) {
    sessionStorage.setItem("portal-said", text.i18nSaved);
    sessionStorage.setItem("portal-kept", "1"); // the next page, if not kept either, says the answers are safe
    location.assign(form.dataset.offlineNext);
  } else {
    say(text.i18nSaved);
    const section = document.querySelector("[data-offline-drafts]");
    if (section) section.focus(); // what is on the phone, next to the button just pressed
  }
}

function protect(form) {
  const key = freshKey();
  if (key) form.elements.idempotency_key.value = key; // a page shown again from the cache gets a new key too
  let busy = false;
  form.addEventListener("submit", async (event) => {
    if (event.defaultPrevented || !user) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    try {
      if (navigator.onLine === false) return await keep(form);
      try {
        await fetch(target(form), {
          method: "POST", body: new URLSearchParams(fields(form)), credentials: "same-origin", redirect: "manual",
          headers: { "Idempotency-Key": form.elements.idempotency_key.value },
        });
      } catch (error) {
        return await keep(form);
      }
      // The portal has it (or has errors to show): the same key again only replays its answer, as a page.
      HTMLFormElement.prototype.submit.call(form);
    } finally {
      busy = false;
    }
  });
}

function csrfCookie() {
  const found = document.cookie.match(/(?:^|;\s*)portal_csrf=([^;]*)/);
  return found ? decodeURIComponent(found[1]) : undefined;
}

function report(result) {
  showPending();
  if (result.stopped === "signin") return say(text.i18nSignin);
  if (result.stopped === "otheruser") return undefined; // this page is out of date: another account signed in
  if (result.refused.length) {
    sessionStorage.setItem("portal-said", text.i18nRefused);
    return location.assign(result.refused[0].page);
  }
  if (!result.sent.length) return undefined;
  const kept = document.querySelector("[data-offline-kept]:not([hidden])");
  if (kept) kept.textContent = kept.dataset.i18nKeptSent; // the offline page: what it said was kept is now sent
  if (result.last && !result.stopped && document.querySelector("form[data-offline]")) {
    sessionStorage.setItem("portal-said", text.i18nSent);
    return location.assign(result.last); // the page it led to, such as the receipt
  }
  return say(text.i18nSent);
}

async function flush() {
  const pending = await showPending();
  if (!pending.length || navigator.onLine === false) return;
  say(text.i18nSending);
  const box = await outbox();
  const send = () => box.flush(user, csrfCookie());
  report(navigator.locks ? await navigator.locks.request("portal-outbox", send) : await send());
}

export function flushSoon() {
  if (!flushing) flushing = flush().catch(() => {}).finally(() => { flushing = null; });
  return flushing;
}

if (shell && "indexedDB" in self && !self.__portalDrafts) {
  self.__portalDrafts = true;
  document.querySelectorAll("form[data-offline]").forEach(protect);
  window.addEventListener("online", flushSoon);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "OUTBOX") report(event.data.report);
    });
  }
  flushSoon();
}

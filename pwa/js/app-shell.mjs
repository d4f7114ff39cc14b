// The app shell: registers the service worker, tells it the page's language (it keeps that catalogue),
// offers a reload when a new version is ready (answers being typed survive it), and offers to install the
// portal at a sensible moment: never on the first page of a first visit, after a dossier is sent or on a
// later visit; "Not now" is remembered. Signing out leaves nothing of the account on a shared phone.
const shell = document.querySelector('[data-module="app-shell"]');
const status = shell && shell.querySelector("[data-pwa-status]");
const RESTORE = "portal-restore:" + location.pathname;
let reloadAsked = false;

function say(message) {
  status.textContent = "";
  setTimeout(() => { status.textContent = message; }, 100);
}

// -- answers in progress survive the reload --------------------------------------------------------------
function unsentForms() {
  return [...document.querySelectorAll("main form[method=post]")].map((form) => ({
    action: form.getAttribute("action"),
    fields: [...form.elements].filter((el) => el.name && !["hidden", "file", "submit", "button"].includes(el.type))
      .map((el) => [el.name, el.type === "checkbox" || el.type === "radio" ? el.checked : el.value, el.value]),
  })).filter((form) => form.fields.length);
}

// The same page in another language (/km/... -> /vi/...): its forms have the same action but for the prefix.
const withoutLanguage = (path) => (path || "").replace(/^\/[a-z]{2,3}(?=\/)/, "");

// "Show this page in Vietnamese" and the language menu keep what is being typed: the answers wait in this tab's
// session storage for the page in the other language, which puts them back.
function keepAnswersAcrossLanguages() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[hreflang]");
    if (!link || link.origin !== location.origin) return;
    const forms = unsentForms();
    if (forms.length) sessionStorage.setItem("portal-restore:" + link.pathname, JSON.stringify(forms));
  });
}

function restoreForms() {
  const saved = sessionStorage.getItem(RESTORE);
  if (!saved) return;
  sessionStorage.removeItem(RESTORE);
  for (const { action, fields } of JSON.parse(saved)) {
    const form = [...document.querySelectorAll("main form")]
      .find((f) => withoutLanguage(f.getAttribute("action")) === withoutLanguage(action));
    if (!form) continue;
    for (const [name, value, own] of fields) {
      for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === own) el.checked = value;
        } else if (!el.readOnly) {
          el.value = value;
        }
      }
    }
  }
  say(shell.dataset.i18nRestored);
}

// -- a new version -----------------------------------------------------------------------------------------
function offerReload(worker) {
  const button = shell.querySelector("[data-pwa-reload]");
  say(shell.dataset.i18nUpdate);
  button.hidden = false;
  button.onclick = () => {
    sessionStorage.setItem(RESTORE, JSON.stringify(unsentForms()));
    reloadAsked = true;
    worker.postMessage({ type: "SKIP_WAITING" });
  };
}

function watchForUpdates(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) offerReload(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerReload(worker);
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadAsked) location.reload(); // only when asked: the first install also changes the controller
  });
}

// -- install ---------------------------------------------------------------------------------------------
function countVisit() {
  if (!sessionStorage.getItem("portal-visit")) {
    sessionStorage.setItem("portal-visit", "1");
    localStorage.setItem("portal-visits", String(Number(localStorage.getItem("portal-visits") || 0) + 1));
  }
  const views = Number(sessionStorage.getItem("portal-views") || 0) + 1;
  sessionStorage.setItem("portal-views", String(views));
  return { visits: Number(localStorage.getItem("portal-visits")), views };
}

function offerInstall(prompt, { visits, views }) {
  const offer = shell.querySelector("[data-pwa-install]");
  const justSent = /^\/[^/]+\/dossiers\/[^/]+\/receipt$/.test(location.pathname);
  if (!offer || localStorage.getItem("portal-install-declined") || views < 2 || !(justSent || visits >= 2)) return;
  // A page may say where the offer goes (the receipt: after its confirmation, which comes first; issue 22).
  const slot = document.querySelector("[data-pwa-install-slot]");
  if (slot) slot.after(offer);
  offer.hidden = false;
  offer.querySelector("[data-pwa-install-yes]").onclick = async () => {
    offer.hidden = true;
    prompt.prompt();
    await prompt.userChoice.catch(() => null);
  };
  offer.querySelector("[data-pwa-install-no]").onclick = () => {
    localStorage.setItem("portal-install-declined", String(Date.now()));
    offer.hidden = true;
  };
}

// -- signing out on a shared phone -------------------------------------------------------------------------
// Before the sign-out form goes: warn about forms kept only on this phone (they are deleted), stop push
// notifications for this device, drop the personal pages kept here. Each step has a short time limit: signing
// out never hangs. Without JavaScript nothing was kept, and the service worker drops personal pages itself.
const within = (ms, promise) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);

async function draftsOfThisAccount() {
  const user = shell.dataset.user;
  if (!user || !("indexedDB" in self)) return [];
  if (!self.portalOutbox) await import(shell.dataset.outbox);
  return self.portalOutbox.all(user);
}

async function forgetDrafts() {
  await self.portalOutbox.clear(shell.dataset.user);
  // Forms of other accounts stay, and so does the mark that makes their owner's next visit send them.
  if (!(await self.portalOutbox.all()).length) localStorage.removeItem("portal-outbox");
}

async function stopPush(csrf) {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration("/");
  const subscription = registration && registration.pushManager && await registration.pushManager.getSubscription();
  if (!subscription) return;
  // The browser forgets the subscription first (local and quick): on a slow network the form may be sent before
  // the portal answers, and the next person on this phone must not see this account's news. keepalive lets
  // the portal's copy be deleted even after the page has gone.
  const endpoint = subscription.endpoint;
  await subscription.unsubscribe().catch(() => {});
  fetch("/api/v1/push/subscriptions", {
    method: "DELETE", credentials: "same-origin", keepalive: true,
    headers: { "content-type": "application/json", "x-csrftoken": csrf },
    body: JSON.stringify({ endpoint }),
  }).catch(() => {});
}

async function dropPersonalPages() {
  if (!("caches" in self)) return;
  for (const name of await caches.keys()) if (name.startsWith("portal-personal-")) await caches.delete(name);
}

function guardSignOut(form) {
  let busy = false;
  form.addEventListener("submit", async (event) => {
    if (event.defaultPrevented) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    try {
      const drafts = await within(2000, draftsOfThisAccount().catch(() => null));
      if (drafts && drafts.length) {
        const message = drafts.length === 1 ? shell.dataset.i18nSignOutOne : shell.dataset.i18nSignOutOther;
        if (!window.confirm((message || "").replace("{count}", String(drafts.length)))) return;
      }
      const csrf = (form.querySelector('[name="_csrf_token"]') || {}).value || "";
      await within(3000, Promise.allSettled([
        drafts && forgetDrafts(), // not counted in time: not warned, so kept
        within(2000, stopPush(csrf)),
        dropPersonalPages(),
      ]));
      HTMLFormElement.prototype.submit.call(form);
    } catch {
      HTMLFormElement.prototype.submit.call(form); // whatever failed above, signing out must still happen
    } finally {
      busy = false;
    }
  });
}

async function start() {
  document.querySelectorAll("form[data-sign-out]").forEach(guardSignOut);
  restoreForms();
  keepAnswersAcrossLanguages();
  if (sessionStorage.getItem("portal-kept")) { // the page before kept its answers on the phone (offline drafts)
    sessionStorage.removeItem("portal-kept");
    const kept = document.querySelector("[data-offline-kept]");
    if (kept) {
      kept.hidden = false;
      for (const other of document.querySelectorAll("[data-offline-not-kept]")) other.hidden = true;
    }
  }
  const said = sessionStorage.getItem("portal-said"); // news from the page before (offline drafts)
  if (said) {
    sessionStorage.removeItem("portal-said");
    say(said);
  }
  const seen = countVisit();
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // no browser banner on its own: the portal offers it when it makes sense
    offerInstall(event, seen);
  });
  window.addEventListener("appinstalled", () => { shell.querySelector("[data-pwa-install]").hidden = true; });
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  watchForUpdates(registration);
  const lang = location.pathname.split("/")[1];
  const fonts = [...document.querySelectorAll('link[rel=preload][as=font]')].map((link) => link.href);
  const ready = await navigator.serviceWorker.ready;
  ready.active.postMessage({ type: "LANGUAGE", lang, assets: fonts });
  if (localStorage.getItem("portal-outbox") && !document.querySelector("[data-offline-drafts]")) {
    (await import(shell.dataset.drafts)).flushSoon(); // forms kept on this phone: send them on this visit
  }
}

if (shell && status) start().catch(() => {});

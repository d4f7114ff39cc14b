// The app shell: registers the service worker, tells it the page's language (it keeps that catalogue),
// offers a reload when a new version is ready (answers being typed survive it), and offers to install the
// portal at a sensible moment: never on the first page of a first visit, after a dossier is sent or on a
// later visit; "Not now" is remembered.
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

function restoreForms() {
  const saved = sessionStorage.getItem(RESTORE);
  if (!saved) return;
  sessionStorage.removeItem(RESTORE);
  for (const { action, fields } of JSON.parse(saved)) {
    const form = [...document.querySelectorAll("main form")].find((f) => f.getAttribute("action") === action);
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

async function start() {
  restoreForms();
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

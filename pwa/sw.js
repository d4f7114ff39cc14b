// Service worker of the public service portal, served at /sw.js (backend/pwa/controllers.py writes in the
// deploy's version, the app shell's hashed URLs and the portal's languages).
//   static files  cache-first (their URLs carry a hash of their content)
//   pages         network first, 3 s; then the copy kept here; then the offline page in the page's language
//   kept pages    the catalogue in the chosen language (and the home page), only as anyone sees it (fetched
//                 without cookies: no account's tag, drafts or name in it); the citizen's own dossiers, drafts
//                 and timelines in a separate "personal" cache, dropped on sign-out or another sign-in, and
//                 served only while the last account seen is the one it was kept for
//   saved copies  say so, and from when (the words come from the page itself: data-i18n-saved-copy)
//   search        offline, /<lang>/procedures?q= is answered from the catalogue's compact index
//                 (/<lang>/catalogue-index.json, searched by catalogue-search.js) on the offline page
"use strict";
const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
const LANGUAGES = ["__LANGUAGES__"];
const PAGE_SIZE = "__PAGE_SIZE__";
importScripts("__OUTBOX__", "__SEARCH__");

const PREFIX = "portal-";
const STATIC = `${PREFIX}static-${VERSION}`;
const PAGES = `${PREFIX}pages-${VERSION}`;
const PERSONAL = `${PREFIX}personal-${VERSION}`;
const TIMEOUT_MS = 3000;
const INDEX_FRESH_MS = 24 * 60 * 60 * 1000;
const NOT_PAGES = /^\/(static|api|sandbox|dev|schema|healthz|sw\.js|manifest\.webmanifest|favicon\.ico)(\/|$)/;
const CATALOGUE = /^\/(|procedures|procedures\/[^/]+|track|accessibility|offline)$/;
const PERSONAL_PAGES = /^\/(my\/dossiers(\/[^/]+)?|dossiers\/[^/]+\/(form\/[^/]+|documents|check|receipt|supplement))$/;

function pageOf(url) {
  if (url.origin !== self.location.origin || NOT_PAGES.test(url.pathname)) return null;
  const [, lang, ...rest] = url.pathname.split("/");
  return LANGUAGES.includes(lang) ? { lang, rest: "/" + rest.join("/") } : null;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    await (await caches.open(STATIC)).addAll(SHELL);
    // The offline page in every language (a few KB each): a language never visited still gets its own.
    await Promise.allSettled(LANGUAGES.map(keepOfflinePage));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && ![STATIC, PAGES, PERSONAL].includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "SKIP_WAITING") self.skipWaiting();
  else if (data.type === "LANGUAGE") event.waitUntil(keepCatalogue(data.lang, data.assets || []));
  else if (data.type === "FLUSH") event.waitUntil(flushOutbox());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET") {
    if (request.method === "POST" && /^\/[^/]+\/sign-out$/.test(url.pathname)) event.waitUntil(dropPersonal());
    return; // never kept: the portal answers every form itself
  }
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
    return;
  }
  const page = pageOf(url);
  if (page && request.mode === "navigate") event.respondWith(networkFirst(request, url, page));
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(STATIC).then((cache) => cache.put(request, copy));
  }
  return response;
}

function cacheFor(url, page) {
  const plain = !url.search || /^\?page=\d+$/.test(url.search);
  if (CATALOGUE.test(page.rest) && plain) return PAGES;
  if (PERSONAL_PAGES.test(page.rest)) return PERSONAL;
  return null;
}

// Every page made for a signed-in person comes with "Cache-Control: no-store" (no HTTP cache may keep it); this
// worker still keeps its own copy of personal pages in Cache Storage, which that header does not govern, dropped
// on sign-out or another sign-in (`personal`).
function keepable(response, personal = false) {
  return response.ok && !response.redirected && response.type === "basic"
    && (personal || !/no-store/.test(response.headers.get("cache-control") || ""))
    && /text\/html/.test(response.headers.get("content-type") || "");
}

const tagOf = (response) => response.headers.get("x-portal-user") || "";
const ANONYMOUS_FRESH_MS = 10 * 60 * 1000;

// A catalogue page opened while signed in carries that account's tag: keep a copy fetched without cookies
// instead (unless a recent one is kept already), so the next person on this phone never gets it.
async function keepAnonymous(url) {
  const cache = await caches.open(PAGES);
  const old = await cache.match(url.href, { ignoreVary: true });
  if (old && !tagOf(old) && Date.now() - Date.parse(old.headers.get("date") || 0) < ANONYMOUS_FRESH_MS) return;
  const response = await fetch(url.href, { credentials: "omit" });
  if (keepable(response) && !tagOf(response)) await cache.put(url.href, response);
}

async function networkFirst(request, url, page) {
  const cacheName = cacheFor(url, page);
  // Revalidated, never taken from the HTTP cache as it is: a public page is fresh there for 5 minutes, and offline
  // it would be shown as if live, without the "saved copy" notice. Online this costs a 304 at most.
  const network = fetch(request, { cache: "no-cache" }).then(async (response) => {
    await noteUser(response);
    if (cacheName === PAGES && tagOf(response)) {
      // Signed in: the page is that person's (and no-store); the copy kept is fetched as anyone sees it.
      if (keepable(response, true)) keepAnonymous(url).catch(() => {});
    } else if (cacheName === PAGES && keepable(response)) {
      await (await caches.open(PAGES)).put(url.href, response.clone());
    } else if (cacheName === PERSONAL && keepable(response, true) && tagOf(response)) {
      await (await caches.open(PERSONAL)).put(url.origin + url.pathname, response.clone());
    }
    return response;
  });
  network.catch(() => {}); // when the kept copy answered first, a failure later is nobody's concern
  const timeout = new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS, "timeout"));
  try {
    const first = await Promise.race([network, timeout]);
    if (first !== "timeout") return first;
    const cached = await kept(url, cacheName);
    return cached ? savedCopy(cached) : await network; // slow, nothing kept: wait for the portal
  } catch (error) {
    const cached = await kept(url, cacheName);
    if (cached) return savedCopy(cached);
    if (page.rest === "/procedures" && (url.searchParams.get("q") || "").trim()) {
      return offlineSearch(url, page.lang);
    }
    return offlinePage(page.lang);
  }
}

// -- saved copies and offline search --------------------------------------------------------------------
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const attribute = (html, name) => (html.match(new RegExp(`data-i18n-${name}="([^"]*)"`)) || [])[1] || "";

// Date and time as the portal writes them in the page's language (data-i18n-dates: its Babel locale, and
// "numeric" for languages CLDR does not know, written in figures the Vietnamese way: 20/11/2026 09:30).
function when(date, html) {
  const [locale, numeric] = (attribute(html, "dates") || "vi").split(" ");
  const style = { dateStyle: numeric ? "short" : "long", timeStyle: "short" };
  try {
    return new Intl.DateTimeFormat(locale, style).format(date);
  } catch {
    return new Intl.DateTimeFormat("vi", style).format(date);
  }
}

// A page made from a kept one keeps its headers (CSP first), but not those of the body it no longer has.
function rewritten(response, html) {
  const headers = new Headers(response.headers);
  for (const name of ["content-encoding", "content-length", "etag"]) headers.delete(name);
  headers.set("content-type", "text/html; charset=utf-8");
  return new Response(html, { status: response.status, statusText: response.statusText, headers });
}

// "You are offline: this copy was saved on <date>", first in <main>.
async function savedCopy(response) {
  const html = await response.text();
  const saved = Date.parse(response.headers.get("date") || "");
  const words = attribute(html, "saved-copy");
  if (!words || Number.isNaN(saved)) return rewritten(response, html);
  const notice = `<p class="panel panel--notice saved-copy" data-saved-copy>${
    words.replace("{time}", escapeHtml(when(new Date(saved), html)))}</p>`;
  return rewritten(response, html.replace(/(<main\b[^>]*>)/, `$1${notice}`));
}

// A search made offline: the offline page in the page's language, its content replaced by the results found in
// the kept index; a result whose page is not kept says so.
async function offlineSearch(url, lang) {
  const shell = await offlinePage(lang);
  if (!/text\/html/.test(shell.headers.get("content-type") || "")) return shell;
  let html = await shell.text();
  const words = (name) => attribute(html, name);
  const cache = await caches.open(PAGES);
  const kept = await cache.match(`/${lang}/catalogue-index.json`, { ignoreVary: true });
  const q = url.searchParams.get("q") || "";
  let content = `<h1>${words("title")}</h1>`;
  if (!kept) {
    content += `<p class="panel panel--notice saved-copy" data-saved-copy>${words("no-index")}</p>`;
  } else {
    const index = await kept.json();
    const saved = Date.parse(kept.headers.get("date") || "") || Date.parse(index.generated);
    content += `<p class="panel panel--notice saved-copy" data-saved-copy>${
      words("saved").replace("{time}", escapeHtml(when(new Date(saved), html)))}</p>`;
    const found = self.portalSearch.search(index, q);
    const items = await Promise.all(found.map(async ({ code, title }) => {
      const href = `/${lang}/procedures/${encodeURIComponent(code)}`;
      const here = await cache.match(new URL(href, self.location.origin).href, { ignoreVary: true });
      const note = here ? "" : ` <span class="hint" data-not-kept>(${words("not-kept")})</span>`;
      return `<li><a href="${href}">${escapeHtml(title)}</a>${note}</li>`;
    }));
    content += items.length ? `<ul class="offline-results" data-offline-results>${items.join("")}</ul>`
      : `<p>${words("none")}</p>`;
  }
  html = html.replace(/<!--offline-content-->[\s\S]*?<!--\/offline-content-->/, content)
    .replace(/<title>[^<]*?(\s–\s)/, `<title>${words("title")}$1`)
    .replace(/(<input id="q"[^>]*?value=")[^"]*"/, `$1${escapeHtml(q)}"`);
  return rewritten(shell, html);
}

// A kept page is served only to whom it was made for: catalogue pages to anyone (they carry no tag), personal
// pages while the last account seen is theirs.
async function kept(url, cacheName) {
  if (!cacheName) return undefined;
  const cache = await caches.open(cacheName);
  const found = (await cache.match(url.href, { ignoreVary: true }))
    || (cacheName === PERSONAL ? await cache.match(url.origin + url.pathname, { ignoreVary: true }) : undefined);
  if (!found) return undefined;
  const owner = cacheName === PERSONAL ? (await self.portalOutbox.getMeta("user")) || "" : "";
  return tagOf(found) === owner && (cacheName === PAGES || owner) ? found : undefined;
}

async function offlinePage(lang) {
  const cache = await caches.open(PAGES);
  const page = (await cache.match(`/${lang}/offline`)) || (await cache.match("/vi/offline"))
    || (await cache.match("/en/offline"));
  return page || new Response("Offline / Không có kết nối mạng", {
    status: 503, headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function keepOfflinePage(lang) {
  return caches.open(PAGES).then((cache) => cache.add(new Request(`/${lang}/offline`, { credentials: "omit" })));
}

// Pages say who they were made for (an opaque tag): personal pages of someone else are never shown.
async function noteUser(response) {
  const tag = response.headers.get("x-portal-user");
  if (tag === null) return;
  const known = await self.portalOutbox.getMeta("user");
  if (known !== tag) {
    if (known !== undefined) await caches.delete(PERSONAL);
    await self.portalOutbox.setMeta("user", tag);
  }
}

async function dropPersonal() {
  await caches.delete(PERSONAL);
  await self.portalOutbox.setMeta("user", "");
}

// The catalogue in one language: its list and every procedure page, fetched once per version and language.
async function keepCatalogue(lang, assets) {
  if (!LANGUAGES.includes(lang)) return;
  const statics = await caches.open(STATIC);
  await Promise.all(assets.filter((a) => new URL(a).pathname.startsWith("/static/"))
    .map(async (a) => (await statics.match(a)) || statics.add(a)));
  const cache = await caches.open(PAGES);
  if (!(await cache.match(`/${lang}/offline`))) await keepOfflinePage(lang);
  await keepIndex(cache, lang);
  if ((await self.portalOutbox.getMeta("catalogue")) === `${VERSION}:${lang}`) return;
  for (const request of await cache.keys()) {
    const page = pageOf(new URL(request.url));
    if (page && page.lang !== lang && !["/offline", "/catalogue-index.json"].includes(page.rest)) {
      await cache.delete(request);
    }
  }
  const items = []; // the API gives 100 at most a time: the catalogue has more (issue 18)
  let total = Infinity;
  while (items.length < total) {
    const part = await (await fetch(`/api/v1/procedures?limit=100&offset=${items.length}`, { credentials: "omit" }))
      .json();
    total = part.total;
    if (!part.items.length) break;
    items.push(...part.items);
  }
  const paths = [`/${lang}/`, `/${lang}/procedures`];
  for (let n = 2; n <= Math.ceil(items.length / PAGE_SIZE); n++) paths.push(`/${lang}/procedures?page=${n}`);
  for (const item of items) paths.push(`/${lang}/procedures/${encodeURIComponent(item.code)}`);
  for (const path of paths) {
    const url = new URL(path, self.location.origin).href;
    if (await cache.match(url)) continue; // a copy the citizen opened (anonymous too) is at least as good
    const response = await fetch(url, { credentials: "omit" });
    if (keepable(response) && !tagOf(response)) await cache.put(url, response);
  }
  await self.portalOutbox.setMeta("catalogue", `${VERSION}:${lang}`);
}

// The catalogue's search index in one language, fetched again when a day old (its "date").
async function keepIndex(cache, lang) {
  const url = new URL(`/${lang}/catalogue-index.json`, self.location.origin).href;
  const old = await cache.match(url, { ignoreVary: true });
  if (old && Date.now() - Date.parse(old.headers.get("date") || 0) < INDEX_FRESH_MS) return;
  const response = await fetch(url, { credentials: "omit" }).catch(() => null);
  if (response && response.ok) await cache.put(url, response);
}

// Offline drafts: Background Sync (where the browser has it) sends them when the connection returns.
self.addEventListener("sync", (event) => {
  if (event.tag === "portal-outbox") event.waitUntil(flushOutbox(true));
});

async function flushOutbox(retryLater) {
  const user = await self.portalOutbox.getMeta("user");
  if (!user) return;
  const cookie = self.cookieStore ? await self.cookieStore.get("portal_csrf").catch(() => null) : null;
  const send = () => self.portalOutbox.flush(user, cookie && cookie.value);
  const report = self.navigator.locks ? await self.navigator.locks.request("portal-outbox", send) : await send();
  for (const tab of await self.clients.matchAll({ type: "window" })) tab.postMessage({ type: "OUTBOX", report });
  if (retryLater && report.stopped === "offline") throw new Error("still offline: the browser tries again later");
}

// Web Push: the portal's news about a dossier ({title, body, url, tag, lang}); a tap opens that dossier.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(self.registration.showNotification(data.title || "", {
    body: data.body || "", tag: data.tag, lang: data.lang, data: { url: data.url || "/" },
    icon: "/static/icons/icon-192.png", badge: "/static/icons/maskable-192.png",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  event.waitUntil((async () => {
    for (const tab of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      if (new URL(tab.url).pathname === target.pathname && "focus" in tab) return tab.focus();
    }
    return self.clients.openWindow(target.href);
  })());
});

// Not handled: "pushsubscriptionchange". Sending the replacement needs the page's CSRF token, which a worker
// cannot read; until then a replaced subscription is reported gone (404/410), removed, and news goes by SMS
// until the citizen turns notifications on again.

// Forms saved on this phone while offline, kept in IndexedDB until the portal has them. A classic script
// shared by the pages (offline-drafts.mjs imports it) and the service worker (importScripts): both can send
// the queue. Each form keeps its idempotency key, so the portal counts a form sent twice only once, and the user
// tag of the account it was saved under: it is sent only for that account (the portal checks X-Portal-User and
// answers 409 to anyone else), and stays on the phone until that account signs in again or signs out here.
(function (scope) {
  "use strict";
  const DB = "portal-offline";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("outbox", { keyPath: "key" });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(store, mode, work) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const request = work(tx.objectStore(store));
        tx.oncomplete = () => resolve(request ? request.result : undefined);
        tx.onerror = tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const all = async (user) => (await run("outbox", "readonly", (s) => s.getAll()))
    .filter((item) => user === undefined || item.user === user)
    .sort((a, b) => a.savedAt - b.savedAt);
  const remove = (key) => run("outbox", "readwrite", (s) => s.delete(key));
  // Sign-out: this account's forms leave the phone (the page asked first); other accounts' forms stay.
  async function clear(user) {
    const items = user ? await all(user) : [];
    for (const item of items) await remove(item.key);
    return items.length;
  }
  const getMeta = (name) => run("meta", "readonly", (s) => s.get(name));
  const setMeta = (name, value) => run("meta", "readwrite", (s) => s.put(value, name));

  // A newer save of the same form replaces one not sent yet: the latest answers are the ones that count.
  async function add(item) {
    for (const older of await all(item.user)) {
      if (older.action === item.action && older.key !== item.key) await remove(older.key);
    }
    await run("outbox", "readwrite", (s) => s.put(item));
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // One form to the portal: "sent" (with the page it led to), "busy" (the same key is being sent by another
  // tab or the service worker), "offline", "signin" (the session ended), "otheruser" (another account is
  // signed in now: the portal ran nothing and the form stays) or "refused" (errors to fix).
  async function send(item, csrf) {
    const body = new URLSearchParams(item.fields);
    if (csrf) body.set("_csrf_token", csrf);
    body.set("idempotency_key", item.key);
    let response;
    try {
      response = await fetch(item.action, {
        method: "POST", body, credentials: "same-origin", redirect: "follow",
        headers: { "Idempotency-Key": item.key, "X-Portal-User": item.user || "" },
      });
    } catch (error) {
      return { outcome: "offline" };
    }
    if (/^\/[^/]+\/sign-in(\/|$)/.test(new URL(response.url).pathname)) return { outcome: "signin" };
    if (response.status === 409) {
      const now = response.headers.get("x-portal-user"); // whom the portal answered: see backend/pwa/shell.py
      if (now !== null && now !== (item.user || "")) return { outcome: now ? "otheruser" : "signin" };
      return { outcome: "busy" };
    }
    if (response.ok && response.redirected) return { outcome: "sent", url: response.url };
    return { outcome: "refused", status: response.status };
  }

  // Send the queue of ``user`` in the order it was saved; stop at the first form that cannot go yet.
  async function flush(user, csrf) {
    const report = { sent: [], refused: [], stopped: null, last: null };
    if (!user) return report; // nobody's forms are sent for nobody
    for (const item of await all(user)) {
      let result = await send(item, csrf || item.csrf);
      for (let tries = 0; result.outcome === "busy" && tries < 5; tries++) {
        await sleep(1500);
        result = await send(item, csrf || item.csrf);
      }
      if (result.outcome === "sent" || result.outcome === "refused") {
        await remove(item.key);
        (result.outcome === "sent" ? report.sent : report.refused).push({ label: item.label, page: item.page });
        if (result.url) report.last = result.url;
        continue;
      }
      report.stopped = result.outcome;
      break;
    }
    return report;
  }

  scope.portalOutbox = { add, all, remove, clear, flush, getMeta, setMeta };
})(self);

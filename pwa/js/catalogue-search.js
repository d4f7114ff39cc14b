// Offline search over the catalogue's compact index (/<lang>/catalogue-index.json, backend/pwa/catalogue_index.py).
// A classic script: the service worker loads it with importScripts. Queries are folded and cut as
// backend/catalogue/search.py folds them (lower case, accents off Latin letters, đ -> d; Chinese, Khmer, Thai...
// in pairs of characters), and ranked the same way in short: most words matched, then words in the title.
"use strict";
(() => {
  const SPACELESS = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/u;
  const WORDY = /[\p{L}\p{N}\p{M}]/u;
  const COMBINING = /\p{Mn}/u;
  const MAX_TERMS = 8;

  function fold(text) {
    let latin = false;
    let out = "";
    for (const ch of text.toLowerCase().replaceAll("đ", "d").normalize("NFD")) {
      if (!COMBINING.test(ch)) latin = ch < "\u0250" || (ch >= "\u1e00" && ch <= "\u1eff");
      else if (latin) continue;
      out += ch;
    }
    return out.normalize("NFC");
  }

  function segments(text) {
    const out = [];
    let current = "";
    let spaceless = false;
    for (const ch of fold(text) + " ") {
      const wordy = WORDY.test(ch);
      const kind = SPACELESS.test(ch);
      if (!wordy || (current && kind !== spaceless)) {
        if (current) out.push([current, spaceless]);
        current = "";
      }
      if (wordy) {
        current += ch;
        spaceless = kind;
      }
    }
    return out;
  }

  function pairs(run) {
    const chars = [...run];
    const out = [];
    for (let i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
    return out.length ? out : [run];
  }

  // Each word of the query: its tokens, and whether the last may be longer (still being typed).
  function terms(query) {
    const segs = segments(query).slice(0, MAX_TERMS);
    return segs.map(([seg, spaceless], i) => ({
      tokens: spaceless ? pairs(seg) : [seg],
      prefix: spaceless ? [...seg].length === 1 : i === segs.length - 1,
    }));
  }

  function hasTerm(words, term) {
    return term.tokens.every((token, i) => (term.prefix && i === term.tokens.length - 1
      ? words.some((word) => word.startsWith(token)) : words.includes(token)));
  }

  // index: {items: [[code, title, words]]} -> [{code, title}], best first, as many as `limit`.
  function search(index, query, limit = 50) {
    const wanted = terms(query);
    if (!wanted.length) return [];
    const scored = [];
    index.items.forEach(([code, title, words], order) => {
      const all = words.split(" ");
      const inTitle = segments(title).flatMap(([seg, spaceless]) => (spaceless ? pairs(seg) : [seg]));
      const hits = wanted.filter((term) => hasTerm(all, term)).length;
      if (!hits) return;
      const titleHits = wanted.filter((term) => hasTerm(inTitle, term)).length;
      scored.push({ code, title, hits, titleHits, order });
    });
    const best = Math.max(0, ...scored.map((s) => s.hits));
    const slack = wanted.length >= 3 && best > 1 ? 1 : 0;
    return scored.filter((s) => s.hits >= best - slack)
      .sort((a, b) => b.hits - a.hits || b.titleHits - a.titleHits || a.order - b.order)
      .slice(0, limit);
  }

  self.portalSearch = { fold, terms, search };
})();

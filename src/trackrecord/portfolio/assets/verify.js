// Checks every credential on the page in this browser, before anything says "verified".
//
// The page embeds what the check needs (no fetch: file:// pages cannot read local files in
// Chromium): the issuers' public keys (JWKS) and the ledger records, in
// <script type="application/json" id="trackrecord-verify">. For each [data-record] card:
//   1. the VC-JWT's header names RS256 and a key (kid) the record's issuer published;
//   2. WebCrypto verifies the RSASSA-PKCS1-v1_5 SHA-256 signature over header.payload;
//   3. the payload's issuer is the record's issuer, and it is valid now (nbf, exp);
//   4. the record's hash is sha256 of the RFC 8785 JSON of {credential, issuer, position,
//      prev_hash}, as in the export;
//   5. every value the page shows ([data-claim], a JSON pointer into the payload) is the
//      value that was signed.
// Revocation (the status list) is not checked here: `trackrecord verify` checks it. Nor is
// the chain: witness entries (other learners' positions of a hosted server's chain, hashes
// without a credential) are never a card's record.
"use strict";

(function () {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();

  function fail(message) {
    const error = new Error(message);
    error.verification = true;
    return error;
  }

  function b64urlBytes(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw fail("the credential is not base64url text");
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    const raw = atob(b64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function b64urlJson(text, what) {
    try {
      return JSON.parse(decoder.decode(b64urlBytes(text)));
    } catch (e) {
      throw fail("the credential's " + what + " is not readable JSON");
    }
  }

  function pointer(doc, path) {
    let node = doc;
    for (const raw of path.split("/").slice(1)) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (node === null || typeof node !== "object" || !(key in node)) return undefined;
      node = node[key];
    }
    return node;
  }

  async function sha256hex(text) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // RFC 8785 for this object of strings, an integer and null: keys in code-unit order,
  // values as JSON.stringify writes them (the serialization RFC 8785 is defined by).
  function canonicalRecord(rec) {
    return "{" + [
      '"credential":' + JSON.stringify(rec.credential),
      '"issuer":' + JSON.stringify(rec.issuer),
      '"position":' + JSON.stringify(rec.position),
      '"prev_hash":' + JSON.stringify(rec.prev_hash === undefined ? null : rec.prev_hash),
    ].join(",") + "}";
  }

  async function verifySignature(rec, issuers) {
    const parts = String(rec.credential || "").split(".");
    if (parts.length !== 3) throw fail("the credential is not a signed JWT (three parts)");
    const header = b64urlJson(parts[0], "header");
    if (header.alg !== "RS256") throw fail("the credential names algorithm " + header.alg + ", not RS256");
    const issuer = issuers[rec.issuer];
    if (!issuer) throw fail("the issuer " + rec.issuer + " has no keys on this site");
    const jwk = (issuer.jwks.keys || []).find((k) => k.kid === header.kid);
    if (!jwk) throw fail("signed with a key (kid " + header.kid + ") that " + (issuer.name || rec.issuer) + " never published");
    if (!window.crypto || !crypto.subtle) throw fail("this browser has no WebCrypto here (open the page from file:// or https://)");
    const key = await crypto.subtle.importKey(
      "jwk", { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    const signed = encoder.encode(parts[0] + "." + parts[1]);
    const good = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, b64urlBytes(parts[2]), signed);
    if (!good) throw fail("the signature does not match: the credential was changed after it was signed");
    return { header: header, payload: b64urlJson(parts[1], "payload"), issuer: issuer, jwk: jwk };
  }

  function checkClaims(card, payload, rec) {
    const iss = payload.iss || (payload.issuer && payload.issuer.id) || payload.issuer;
    if (iss !== rec.issuer) throw fail("signed as issuer " + iss + " but listed under " + rec.issuer);
    const now = Date.now() / 1000;
    if (typeof payload.nbf === "number" && payload.nbf > now + 300) throw fail("not valid before " + new Date(payload.nbf * 1000).toISOString());
    if (typeof payload.exp === "number" && payload.exp < now) throw fail("expired on " + new Date(payload.exp * 1000).toISOString());
    for (const el of card.querySelectorAll("[data-claim]")) {
      const signed = pointer(payload, el.dataset.claim);
      const shown = el.textContent.trim();
      if (signed === undefined || String(signed) !== shown) {
        throw fail("the page shows \u201c" + shown + "\u201d where the signed credential says \u201c" + (signed === undefined ? "nothing" : String(signed)) + "\u201d");
      }
    }
  }

  async function verifyRecord(card, rec, issuers) {
    const checked = await verifySignature(rec, issuers);
    checkClaims(card, checked.payload, rec);
    if (rec.hash && (await sha256hex(canonicalRecord(rec))) !== rec.hash) {
      throw fail("the ledger record's hash does not match its contents (position or chain changed)");
    }
    return checked;
  }

  function show(card, ok, text) {
    const out = card.querySelector("[data-verify-status]");
    card.classList.add(ok ? "verified" : "failed");
    if (!out) return;
    out.dataset.verifyStatus = ok ? "verified" : "failed";
    out.className = "verify " + (ok ? "ok" : "bad");
    out.textContent = text;
  }

  async function run() {
    const node = document.getElementById("trackrecord-verify");
    if (!node) return;
    let data;
    try {
      data = JSON.parse(node.textContent);
    } catch (e) {
      data = { issuers: {}, records: [] };
    }
    for (const card of document.querySelectorAll("[data-record]")) {
      const rec = data.records[Number(card.dataset.record)];
      try {
        if (!rec || rec.witness) throw fail("the page has no ledger record for this result");
        const checked = await verifyRecord(card, rec, data.issuers);
        const who = checked.issuer.name || rec.issuer;
        show(card, true, "\u2713 verified in this browser: signed by " + who + " (RS256, key " + checked.jwk.kid.slice(0, 8) + "\u2026); the page shows what was signed");
      } catch (e) {
        const why = e && e.verification ? e.message : "the check could not run (" + e + ")";
        show(card, false, "\u2717 not verified: " + why);
      }
    }
    document.documentElement.dataset.verifyDone = "true";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();

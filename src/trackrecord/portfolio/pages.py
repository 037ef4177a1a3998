"""The site's HTML, written as plain strings (the core uses no template engine): the page
layout, a credential card the browser verifies, and the pieces each page is made of.

Every link is relative (`root` is "" on top-level pages, "../" one folder down), so the site
works from file:// and under any path of any static host. Whatever came from the ledger or a
post's front matter is escaped here; post bodies arrive already sanitized.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from trackrecord.portfolio.records import Record

ORIGIN_WORDS = {
    "self-scored": "Self-scored: scored on the learner's own machine, where the learner holds "
    "the answer key. The signature shows the learner's install recorded it unchanged; it is "
    "the learner's claim, not a host's check.",
    "host-verified": "Host-verified: scored by a hosted server that kept the answer key from "
    "the learner, and signed with the server's key.",
    "reproduced": "Reproduced: the hosted server re-ran the learner's code in its sandbox and "
    "scored the output, signed with the server's key.",
}
NOSCRIPT = (
    "<noscript><p class='verify bad'>JavaScript is off, so nothing on this page has been "
    "verified. Check the ledger with <code>trackrecord verify trackrecord.json</code>.</p>"
    "</noscript>"
)


@dataclass(frozen=True)
class SiteMeta:
    title: str  # the learner's name, or "Track record"
    subject: str
    generated: datetime


def e(value: object) -> str:
    return escape(str(value), quote=True)


def when(moment: datetime | None) -> str:
    if moment is None:
        return "unknown date"
    return f"<time datetime='{moment.isoformat()}'>{moment.strftime('%d %b %Y')}</time>"


def embed_json(data: Any, element_id: str) -> str:
    """A JSON island the page's scripts read (never fetched: file:// forbids it)."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def verify_data(records: Sequence[Record], issuers: Mapping[str, Any]) -> str:
    """What verify.js needs for these records: their issuers' keys and the records."""
    used = {r.issuer for r in records}
    return embed_json(
        {
            "issuers": {k: v for k, v in issuers.items() if k in used},
            "records": [
                {"issuer": r.issuer, "position": r.position, "credential": r.credential,
                 "prev_hash": r.prev_hash, "hash": r.hash}
                for r in records
            ],
        },
        "trackrecord-verify",
    )  # fmt: skip


def layout(
    title: str, body: str, *, meta: SiteMeta, root: str, scripts: str = "", description: str = ""
) -> str:
    desc = f'<meta name="description" content="{e(description)}">' if description else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>{desc}
<link rel="stylesheet" href="{root}assets/style.css">
<link rel="alternate" type="application/atom+xml" href="{root}feed.xml" title="{e(meta.title)}">
</head>
<body>
<header class="site"><a class="name" href="{root}index.html">{e(meta.title)}</a>
<nav><a href="{root}index.html#results">Results</a><a href="{root}index.html#posts">Posts</a>
<a href="{root}keys.html">Keys</a><a href="{root}trackrecord.json">Ledger</a>
<a href="{root}feed.xml">Feed</a></nav></header>
<main>
{body}
</main>
<footer class="site">Built {when(meta.generated)} with trackrecord. Every result is a signed
Open Badges 3.0 credential; its page checks the signature in your browser.
Anyone can check the whole ledger: <code>trackrecord verify trackrecord.json</code>.</footer>
{scripts}
</body>
</html>
"""


def origin_badge(r: Record) -> str:
    c = r.origin_claim
    if c is None:
        return "<span class='origin unknown'>origin not stated</span>"
    title = ORIGIN_WORDS.get(c.value, c.value)
    return (
        f"<span class='origin {e(c.value)}' title='{e(title)}'>{claim(c.value, c.pointer)}</span>"
    )


def claim(value: str, pointer: str) -> str:
    return f'<span data-claim="{e(pointer)}">{e(value)}</span>'


def medal_badge(r: Record) -> str:
    if r.kind != "result":
        return "<span class='muted'>a scored submission</span>"
    m = r.medal_claim
    if m is None or r.medal is None:
        text = claim(m.value, m.pointer) if m else "none"
        return f"<span class='medal none'>medal: {text}</span>"
    return f"<span class='medal {e(r.medal)}'>{claim(m.value, m.pointer)}</span>"


def record_card(r: Record, index: int, *, root: str, full: bool, link: bool = False) -> str:
    """One credential: its claims (each checked against the signed payload by the browser),
    origin, date, and the verification line the browser fills in."""
    title = e(r.name or r.title) if full else e(r.title)
    if link:
        title = f"<a href='{root}projects/{e(r.project_id)}.html'>{title}</a>"
    rows = "".join(
        f"<tr><th>{e(c.label)}</th><td class='num'>{claim(c.value, c.pointer)}</td></tr>"
        for c in r.claims
        if c not in (r.medal_claim, r.origin_claim)
    )
    detail = ""
    if full:
        detail = (
            f"<p class='small muted'>Issuer {e(r.issuer)}, ledger position {r.position}, "
            f"record hash <code>{e(r.hash[:16])}…</code></p>"
            f"<details><summary class='small'>The signed credential (VC-JWT)</summary>"
            f"<p class='small keys'><code>{e(r.credential)}</code></p></details>"
        )
    return f"""<section class="card credential" data-record="{index}">
<h3>{title}</h3>
<p>{medal_badge(r)} {origin_badge(r)} <span class="muted small">{when(r.issued)}</span></p>
<table>{rows}</table>
<p class="verify pending" data-verify-status="pending">Checking the signature in this
browser…</p>{NOSCRIPT}
{detail}
</section>"""


def tags(values: Sequence[str]) -> str:
    if not values:
        return ""
    return "<p class='tags'>" + "".join(f"<span class='tag'>{e(v)}</span>" for v in values) + "</p>"


def issuer_list(issuers: Mapping[str, Any]) -> str:
    """Each issuer, where its keys come from, and each key's id."""
    items = []
    for iid, info in issuers.items():
        source = str(info.get("source", "self"))
        where = (
            "the learner's own key (self-scored results), published here in this site"
            if source == "self"
            else f"published by the host at <a href='{e(source)}'>{e(source)}</a>"
        )
        kids = ", ".join(
            f"<code>{e(k.get('kid', '?'))}</code>" for k in info.get("jwks", {}).get("keys", [])
        )
        items.append(
            f"<li><strong>{e(info.get('name') or iid)}</strong> <span class='muted small'>"
            f"({e(iid)})</span>: {where}. Keys: {kids or 'none'}.</li>"
        )
    return "<ul class='keys'>" + "".join(items) + "</ul>"

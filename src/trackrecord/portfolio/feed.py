"""The site's Atom feed (RFC 4287): one entry per post and per result.

Links are relative to the feed unless the site has a base URL (`publish --base-url`), which
makes them absolute as feed readers prefer; entry ids are stable URNs either way, so moving
the site does not make every entry new.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACE = uuid.UUID("6f1c2d1e-5b7a-4c1e-9a53-7d0f3c1a2b90")  # trackrecord feed ids


@dataclass(frozen=True)
class Entry:
    key: str  # stable: "post:<slug>" or "result:<issuer>:<position>"
    title: str
    path: str  # relative to the site root, e.g. "posts/intro.html"
    updated: datetime
    published: datetime | None = None
    summary: str = ""
    content_html: str = ""
    categories: tuple[str, ...] = ()


def _stamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(subject: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{subject}|{key}')}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def atom(
    *,
    title: str,
    subject: str,
    author: str,
    entries: Sequence[Entry],
    generated: datetime,
    base_url: str | None = None,
) -> str:
    """The feed as XML text, newest entries first."""
    ET.register_namespace("", ATOM)
    base = base_url.rstrip("/") + "/" if base_url else ""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", entry_id(subject, "feed"))
    _sub(feed, "title", title)
    newest = max((x.updated for x in entries), default=generated)
    _sub(feed, "updated", _stamp(newest))
    _sub(_sub(feed, "author"), "name", author)
    _sub(feed, "link", rel="self", href=f"{base}feed.xml")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}index.html")
    _sub(feed, "generator", "trackrecord")
    for item in sorted(entries, key=lambda x: x.updated, reverse=True):
        node = _sub(feed, "entry")
        _sub(node, "id", entry_id(subject, item.key))
        _sub(node, "title", item.title)
        _sub(node, "updated", _stamp(item.updated))
        if item.published is not None:
            _sub(node, "published", _stamp(item.published))
        _sub(node, "link", rel="alternate", type="text/html", href=f"{base}{item.path}")
        for category in item.categories:
            _sub(node, "category", term=category)
        if item.summary:
            _sub(node, "summary", item.summary)
        if item.content_html:
            _sub(node, "content", item.content_html, type="html")
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"

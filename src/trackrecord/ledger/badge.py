"""A medal badge as an SVG image with its signed credential baked in (Open Badges 3.0,
"Baking"): the root `<svg>` declares `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
and holds one `<openbadges:credential verify="<VC-JWT>"/>`, so the image alone carries what
a verifier needs besides the issuer's public key.

`medal_svg` draws the medal of a credential and bakes it; `bake` adds a credential to any
SVG; `unbake` takes it out again (refusing DTDs and entities: the SVG may come from
anyone); `badge_export` wraps the credential as a one-record ledger so `verify_export`
checks it like any other. Pure: no database, no HTTP.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from trackrecord.errors import TrackrecordError
from trackrecord.ledger import vcjwt
from trackrecord.ledger.chain import build_chain
from trackrecord.ledger.credential import iso, origin_of, results_of
from trackrecord.ledger.export import Export, IssuerEntry

OB_NS = "https://purl.imsglobal.org/ob/v3p0"
SVG_NS = "http://www.w3.org/2000/svg"
MAX_BYTES = 2 * 1024 * 1024
COLOURS = {  # face, rim
    "gold": ("#e8b923", "#a67c00"),
    "silver": ("#c9ced6", "#7d8590"),
    "bronze": ("#d08a4f", "#8a4f1f"),
    "none": ("#e5e7eb", "#9ca3af"),
}
_ROOT = re.compile(r"<svg\b[^>]*?(/?)>", re.S)


class BadgeError(TrackrecordError):
    status = 422
    code = "invalid_badge"


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def medal_svg(token: str) -> str:
    """The medal of a credential (VC-JWT) as an SVG with the credential baked in."""
    credential = vcjwt.decode_credential(token)
    achievement = (credential.get("credentialSubject") or {}).get("achievement") or {}
    got = results_of(credential)
    medal = got.get("medal", "none")
    face, rim = COLOURS.get(medal, COLOURS["none"])
    title = _clip(str(achievement.get("name", "trackrecord project")), 34)
    label = medal.capitalize() if medal in ("gold", "silver", "bronze") else "Finalized"
    if "medal" not in got:
        label = "Scored"
    origin = origin_of(credential) or "unknown origin"
    issuer = credential.get("issuer") or {}
    by = _clip(str(issuer.get("name", "")) if isinstance(issuer, Mapping) else "", 40)
    score = got.get("private") or got.get("public") or ""
    parts = [
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB_NS}" width="240" height="300" '
        f'viewBox="0 0 240 300" role="img" aria-label={quoteattr(f"{label}: {title}")}>',
        f"<openbadges:credential verify={quoteattr(token)}/>",
        f"<title>{escape(f'{label} on {title} ({origin})')}</title>",
        '<path d="M80 0h30l10 70-25 10zM160 0h-30l-10 70 25 10z" fill="#2563eb"/>',
        f'<circle cx="120" cy="140" r="72" fill="{face}" stroke="{rim}" stroke-width="8"/>',
        f'<circle cx="120" cy="140" r="56" fill="none" stroke="{rim}" stroke-width="2"/>',
        '<text x="120" y="148" text-anchor="middle" font-family="sans-serif" '
        f'font-size="22" font-weight="bold" fill="#1f2937">{escape(label)}</text>',
        '<text x="120" y="240" text-anchor="middle" font-family="sans-serif" font-size="14" '
        f'fill="#111827">{escape(title)}</text>',
        '<text x="120" y="260" text-anchor="middle" font-family="sans-serif" font-size="11" '
        f'fill="#374151">{escape(f"score {score} · {origin}" if score else origin)}</text>',
        '<text x="120" y="278" text-anchor="middle" font-family="sans-serif" font-size="10" '
        f'fill="#6b7280">{escape(f"signed by {by}" if by else "")}</text>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def bake(svg: str, token: str) -> str:
    """`svg` with the credential baked in after its root tag (one credential per image:
    any credential already there is replaced)."""
    if "<openbadges:credential" in svg:
        svg = re.sub(r"<openbadges:credential\b.*?(/>|</openbadges:credential>)", "", svg,
                     flags=re.S)  # fmt: skip
    root = _ROOT.search(svg)
    if root is None or root.group(1):
        raise BadgeError("not an SVG image with content (no opening <svg> tag)")
    tag = root.group(0)
    if "xmlns:openbadges" not in tag:
        tag = tag[:4] + f' xmlns:openbadges="{OB_NS}"' + tag[4:]
    element = f"\n<openbadges:credential verify={quoteattr(token)}/>"
    return svg[: root.start()] + tag + element + svg[root.end() :]


def unbake(svg: str | bytes) -> str:
    """The VC-JWT baked into an SVG badge; BadgeError when there is none or the file is not
    a plain SVG (DTDs and entities are refused before parsing)."""
    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    if len(raw) > MAX_BYTES:
        raise BadgeError(f"the image is larger than {MAX_BYTES // 2**20} MiB")
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise BadgeError("the SVG declares a DTD or entities: refused")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise BadgeError(f"the image is not well-formed SVG: {exc}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise BadgeError("the image is not an SVG (its root is not <svg>)")
    found = root.findall(f".//{{{OB_NS}}}credential")
    if not found:
        raise BadgeError(f"no <openbadges:credential> ({OB_NS}) is baked into this image")
    if len(found) > 1:
        raise BadgeError("the image holds more than one <openbadges:credential>")
    token = (found[0].get("verify") or "").strip()
    if not token:
        raise BadgeError(
            "the baked credential has no verify attribute: it is not a VC-JWT (a credential "
            "with an embedded proof is not supported)"
        )
    vcjwt.split(token)  # TokenError if it is not a compact JWS
    return token


def issuer_of(token: str) -> tuple[str, str]:
    """(issuer id, issuer name) a credential names (unverified)."""
    credential = vcjwt.decode_credential(token)
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        return str(issuer.get("id", "")), str(issuer.get("name", ""))
    return str(issuer or ""), ""


def status_urls(token: str) -> list[str]:
    """The status list URLs a credential points at (its credentialStatus)."""
    status = vcjwt.decode_credential(token).get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if status else []
    return [
        str(e["statusListCredential"])
        for e in entries
        if isinstance(e, Mapping) and isinstance(e.get("statusListCredential"), str)
    ]


def badge_export(
    token: str,
    jwks: Mapping[str, Any],
    *,
    source: str,
    status_lists: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Export:
    """One credential as a one-record ledger of its issuer, with the issuer's keys (from
    `source`) and status lists, ready for `verify_export`."""
    issuer, name = issuer_of(token)
    subject = vcjwt.decode_credential(token).get("credentialSubject") or {}
    return Export(
        exported_at=iso(now or datetime.now(UTC)),
        subject={"id": str(subject.get("id", "")), "name": ""},
        issuers={issuer: IssuerEntry(name or issuer, dict(jwks), source)},
        records=build_chain(issuer, [token]),
        status_lists=dict(status_lists or {}),
    )

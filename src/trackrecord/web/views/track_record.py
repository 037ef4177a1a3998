"""The "Track record" page: the learner's credentials with their origin and status (each
verified here, as `trackrecord verify` would), the ledger export (`trackrecord.json`), and a
preview of the portfolio site `trackrecord publish` builds (personal mode)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from trackrecord.errors import NotFound
from trackrecord.ledger import hosted, verify_export
from trackrecord.ledger.export import Export, dumps_export
from trackrecord.service import Service
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, web
from trackrecord.web.render import page

router = APIRouter()
PREVIEW = "site-preview"  # under HOME: the preview site, rebuilt on request


def _source(export: Export, issuer: str) -> str:
    entry = export.issuers.get(issuer)
    if entry is None:
        return "unknown issuer"
    return "this computer" if entry.source == "self" else entry.source


def credential_rows(svc: Service, user_id: int) -> list[dict[str, Any]]:
    """One row per credential of the learner's ledger: what, origin, issuer, status."""
    export = svc.export_ledger(user_id)
    report = verify_export(export)
    views = {v.id: v for v in hosted.credentials_of(svc, user_id)}
    rows = []
    for check in report.records:
        credential = check.credential or {}
        cid = str(credential.get("id", ""))
        view = views.get(cid)
        achievement = (credential.get("credentialSubject") or {}).get("achievement") or {}
        entry = export.issuers.get(check.issuer)
        rows.append(
            {
                "id": cid,
                "project": achievement.get("humanCode"),
                "name": check.name,
                "origin": check.origin or "unknown",
                "issuer": entry.name if entry else check.issuer,
                "source": _source(export, check.issuer),
                "issued": credential.get("validFrom"),
                "ok": check.ok,
                "status": "verified" if check.ok else check.reason,
                "reason": view.reason if view is not None else None,
                "badge": f"/credentials/{quote(cid, safe=':')}/badge.svg",
            }
        )
    return rows


@router.get("/track-record", name="track_record")
def track_record_page(request: Request, me: Account = Depends(require_account)) -> Response:
    state = web(request)
    svc = state.service
    rows = credential_rows(svc, me.id)
    preview = svc.settings.home / PREVIEW / "index.html"
    data = {
        "title": "Track record",
        "rows": rows,
        "origins": dict(Counter(r["origin"] for r in rows)),
        "failed": sum(not r["ok"] for r in rows),
        "preview_built": not state.settings.hosted and preview.is_file(),
        "server_url": _server_url(svc) if state.settings.hosted else None,
    }
    return page(request, "track_record.html", data)


def _server_url(svc: Service) -> str:
    from trackrecord.ledger.didweb import public_url

    return public_url(svc.settings)


@router.get("/track-record/trackrecord.json", name="track_record_export")
def export_download(request: Request, me: Account = Depends(require_account)) -> Response:
    """The ledger export (the format `trackrecord export` writes and `verify` reads)."""
    export = web(request).service.export_ledger(me.id)
    return Response(
        dumps_export(export),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="trackrecord.json"'},
    )


def _personal_only(request: Request) -> Path:
    state = web(request)
    if state.settings.hosted:
        raise NotFound("the site preview is built on your own computer: `trackrecord publish`")
    return state.settings.home / PREVIEW


@router.post("/track-record/preview", name="track_record_preview")
def build_preview(request: Request, me: Account = Depends(require_account)) -> Response:
    """Build the portfolio site (as `trackrecord publish HOME/site-preview` would)."""
    from trackrecord.portfolio.gather import site_input
    from trackrecord.portfolio.site import build_site

    out = _personal_only(request)
    svc = web(request).service
    export = svc.export_ledger(me.id).to_dict()
    build_site(out, site_input(svc, me.id, export, svc.settings.home / "posts"))
    return RedirectResponse("/track-record/preview/index.html", status_code=303)


@router.get("/track-record/preview/{path:path}")
def preview_file(request: Request, path: str, me: Account = Depends(require_account)) -> Response:
    root = _personal_only(request).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise NotFound(f"no {path} in the preview: build it from the Track record page")
    return FileResponse(target)

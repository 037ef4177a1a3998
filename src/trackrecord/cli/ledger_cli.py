"""The track record on the command line: `keys show|rotate`, `credential`, `export`,
`verify`. Each command calls the ledger (or the Service) and renders the result; fetching
a URL (a ledger, a JWKS, a did:web document) happens here, never in the core."""

from __future__ import annotations

import json as _json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    console,
    err_console,
    handle_errors,
    print_json,
    settings_from,
)
from trackrecord.errors import ConfigError
from trackrecord.ledger import keys as K
from trackrecord.ledger import statusfetch as SF
from trackrecord.ledger.export import MAX_BYTES, Export, loads_export, read_export, write_export
from trackrecord.ledger.verify import RecordCheck, VerifyReport, verify_export

if TYPE_CHECKING:
    import httpx

FETCH_TIMEOUT_S = 20.0

keys_app = typer.Typer(help="Your signing keys: show them, rotate them.", no_args_is_help=True)


def _store(home: Path | None) -> K.KeyStore:
    settings = settings_from(home)
    return K.keystore(settings.home, hosted=settings.hosted)


def _keys_data(store: K.KeyStore) -> dict[str, Any]:
    active = store.active()
    issuer = store.issuer()
    return {
        "issuer": {"id": issuer.id, "name": issuer.name},
        "active": active.kid,
        "algorithm": K.ALG,
        "folder": str(store.folder),
        "jwks": str(store.folder / "jwks.json"),
        "keys": [
            {"kid": k.kid, "created": k.created, "active": k.active} for k in store.public_keys()
        ],
    }


def _print_keys(data: dict[str, Any]) -> None:
    console.print(f"Issuer   {data['issuer']['name']} ({data['issuer']['id']})", highlight=False)
    console.print(f"Signing  {data['algorithm']} key {data['active']}", highlight=False)
    console.print(f"Public   {data['jwks']} ({len(data['keys'])} key(s) ever used)")
    for k in data["keys"]:
        mark = "active " if k["active"] else "retired"
        console.print(f"  {mark} {k['kid']}  made {k['created']}", highlight=False)


@keys_app.command("show")
@handle_errors
def keys_show(json: bool = JsonOption, home: Path | None = HomeOption) -> None:
    """Show the issuer, the signing key and every public key (made on first use)."""
    data = _keys_data(_store(home))
    print_json(data) if json else _print_keys(data)


@keys_app.command("rotate")
@handle_errors
def keys_rotate(json: bool = JsonOption, home: Path | None = HomeOption) -> None:
    """Make a new signing key; old public keys stay published, so old credentials verify."""
    store = _store(home)
    old = store.active().kid
    store.rotate()
    data = {**_keys_data(store), "retired": old}
    if json:
        print_json(data)
        return
    console.print(f"Rotated: new credentials are signed by {data['active']}; {old} is retired")
    console.print("and stays in jwks.json, so what it signed still verifies.")


def credential(
    project_id: str = typer.Argument(..., metavar="ID", help="A project id."),
    number: int | None = typer.Argument(
        None,
        metavar="[N]",
        help="A submission number (#, from `submissions`); default: the finalized result.",
    ),
    out: Path | None = typer.Option(None, "--out", help="Also write the VC-JWT to this file."),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Print the signed credential (VC-JWT) of your result on a project, or of submission N."""
    from trackrecord.cli import learner

    with learner.open_service(settings_from(home)) as svc:
        issued = svc.credential(svc.local_user_id(), project_id, number)
    token = issued.record.credential
    if out is not None:
        out.write_text(token + "\n", encoding="utf-8")
    if json:
        print_json(
            {
                "credential_id": issued.credential_id,
                "kind": issued.kind,
                "origin": issued.origin,
                "created": issued.created,
                "issuer": issued.record.issuer,
                "position": issued.record.position,
                "jwt": token,
                "credential": issued.credential,
            }
        )
        return
    made = "Signed" if issued.created else "Already signed"
    err_console.print(
        f"{made}: {issued.credential.get('name')} [{issued.origin}], {issued.credential_id}, "
        f"ledger position {issued.record.position}" + (f"; written to {out}" if out else ""),
        highlight=False,
        markup=False,
    )
    typer.echo(token)


def export(
    file: Path = typer.Argument(..., help="Where to write the ledger (JSON)."),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Write your ledger (every credential, hash-chained, with the issuers' public keys)."""
    from trackrecord.cli import learner

    with learner.open_service(settings_from(home)) as svc:
        ledger = svc.export_ledger(svc.local_user_id())
    write_export(ledger, file)
    summary = {
        "file": str(file),
        "records": len(ledger.records),
        "issuers": list(ledger.issuers),
        "status_lists": list(ledger.status_lists),
    }
    if json:
        print_json(summary)
        return
    console.print(
        f"Wrote {len(ledger.records)} credential(s) of {len(ledger.issuers)} issuer(s) to "
        f"{file}; check it with `trackrecord verify {file}`",
        highlight=False,
    )


def _read_capped(resp: httpx.Response, limit: int, too_big: Exception) -> bytes:
    """The body of `resp`, streamed; `too_big` is raised once it passes `limit` bytes."""
    body = bytearray()
    for chunk in resp.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise too_big
    return bytes(body)


def _fetch(url: str, what: str) -> bytes:
    import httpx

    try:
        with httpx.stream("GET", url, timeout=FETCH_TIMEOUT_S, follow_redirects=True) as resp:
            resp.raise_for_status()
            too_big = ConfigError(f"{what} at {url} is larger than {MAX_BYTES // 2**20} MiB")
            return _read_capped(resp, MAX_BYTES, too_big)
    except httpx.HTTPError as exc:
        raise ConfigError(f"cannot fetch {what} from {url}: {exc}") from None


def _fetch_status(url: str) -> str:
    """The status list served at `url` now (the StatusFetcher `verify` passes the core)."""
    import httpx

    if not _is_url(url):
        raise SF.StatusUnreachable("not an http(s) URL")
    try:
        with httpx.stream("GET", url, timeout=SF.TIMEOUT_S, follow_redirects=True) as resp:
            if resp.is_error:
                raise SF.StatusUnreachable(f"HTTP {resp.status_code}")
            too_big = SF.StatusResponseError(
                f"the answer is larger than {SF.MAX_RESPONSE_BYTES // 2**20} MiB"
            )
            body = _read_capped(resp, SF.MAX_RESPONSE_BYTES, too_big)
    except httpx.HTTPError as exc:
        raise SF.StatusUnreachable(str(exc) or type(exc).__name__) from None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise SF.StatusResponseError("the answer is not text") from None


def _served(ledger: Export) -> SF.StatusFetcher:
    """The lists `ledger` carries, as just fetched (a badge's): its status is live."""

    def served(url: str) -> str:
        found = ledger.status_lists.get(url)
        if not isinstance(found, str):
            raise SF.StatusUnreachable("not fetched")
        return found

    return served


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def _trusted_keys(keys: list[str]) -> dict[str, Any] | None:
    """The union of the JWKS each --key names: a file, a URL, or a did:web."""
    if not keys:
        return None
    found: list[dict[str, Any]] = []
    for ref in keys:
        if ref.startswith("did:web:"):
            doc = _json.loads(_fetch(K.did_web_url(ref), "the DID document"))
            found += K.jwks_from_did_document(doc, ref)["keys"]
            continue
        raw = _fetch(ref, "the JWKS") if _is_url(ref) else Path(ref).read_bytes()
        try:
            found += list(_json.loads(raw)["keys"])
        except (ValueError, KeyError, TypeError):
            raise ConfigError(f'{ref} is not a JWKS ({{"keys": [...]}})') from None
    return {"keys": found}


def _line(r: RecordCheck, ledger: Export) -> str:
    issuer = ledger.issuers.get(r.issuer)
    who = issuer.name if issuer else r.issuer
    mark = "ok  " if r.ok else "FAIL"
    origin = f" [{r.origin}]" if r.origin else ""
    status = f"; {r.status}" if r.status else ""
    return (
        f"{mark} records[{r.index}] {who} #{r.position}: {r.name or '?'}{origin}: "
        f"{r.reason}{status}"
    )


def _report_json(report: VerifyReport) -> dict[str, Any]:
    first = report.first_failure
    return {
        "ok": report.ok,
        "key_source": report.key_source,
        "first_failure": None if first is None else {"index": first.index, "reason": first.reason},
        "records": [
            {
                "index": r.index,
                "issuer": r.issuer,
                "position": r.position,
                "ok": r.ok,
                "reason": r.reason,
                "origin": r.origin,
                "kid": r.kid,
                "name": r.name,
                "status": r.status,
            }
            for r in report.records
        ],
    }


def _ledger_of(
    source: str, trusted: dict[str, Any] | None, offline: bool
) -> tuple[Export, SF.StatusFetcher | None]:
    """The ledger at `source` (a file, a URL, a badge.svg) and how to read its status lists:
    live from their URLs (httpx), or None with --offline (the lists as of the export)."""
    if source.lower().endswith(".svg"):  # a badge: its issuer's keys and lists fetched now
        from trackrecord.ledger.fetch import resolve_badge

        if offline:
            raise ConfigError("a badge carries no status list: verifying it fetches one, so "
                              "it cannot be --offline")  # fmt: skip
        raw = _fetch(source, "the badge") if _is_url(source) else Path(source).read_bytes()
        ledger = resolve_badge(raw, trusted=trusted, get=lambda url: _fetch(url, url))
        return ledger, _served(ledger)  # its lists were fetched just now
    if _is_url(source):
        ledger = loads_export(_fetch(source, "the ledger"), source)
    else:
        ledger = read_export(Path(source))
    return ledger, None if offline else _fetch_status


def _print_report(report: VerifyReport, ledger: Export) -> None:
    for r in report.records:
        console.print(_line(r, ledger), highlight=False, markup=False)
    for issuer, where in report.key_source.items():
        console.print(f"keys of {issuer}: from {where}", highlight=False, markup=False)
    first = report.first_failure
    if first is None:
        console.print(f"All {len(report.records)} record(s) verified.")
        return
    bad = sum(not r.ok for r in report.records)
    console.print(
        f"{bad} of {len(report.records)} record(s) failed; the first is "
        f"records[{first.index}]: {first.reason}",
        highlight=False,
        markup=False,
    )


def verify(
    source: str = typer.Argument(..., metavar="FILE|URL", help="A ledger export file or URL."),
    key: list[str] | None = typer.Option(
        None,
        "--key",
        metavar="JWKS|did:web",
        help="Trust only these keys (a JWKS file or URL, or a did:web); repeat for several "
        "issuers. Default: the keys the ledger carries.",
    ),
    offline: bool = typer.Option(
        False,
        "--offline",
        help="Do not fetch the status lists: use those in the file (the status as of the "
        "export). Default: each list is fetched from its URL.",
    ),
    json: bool = JsonOption,
) -> None:
    """Check every signature, the chain, the issuer keys and the status lists (of a ledger,
    or of the credential baked into a badge.svg). Status lists are fetched live."""
    trusted = _trusted_keys(key or [])
    ledger, fetch_status = _ledger_of(source, trusted, offline)
    report = verify_export(ledger, trusted=trusted, fetch_status=fetch_status)
    print_json(_report_json(report)) if json else _print_report(report, ledger)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
    for command in (credential, export, verify):
        app.command(command.__name__)(handle_errors(command))

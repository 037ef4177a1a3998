"""The portfolio area: `post new` (a project's write-up to start from) and `publish` (the
static site, or project posts for an existing Hugo, Jekyll or Next.js blog). Each command
calls the portfolio core and renders its report as text or (--json) JSON."""

from __future__ import annotations

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
from trackrecord.portfolio.report import Notice
from trackrecord.service import Service

if TYPE_CHECKING:
    from trackrecord.ledger.export import Export

post_app = typer.Typer(help="Write posts for your portfolio (`post new PROJECT`).")


def _service(home: Path | None) -> Service:
    from trackrecord.cli import learner  # tests replace learner.open_service

    return learner.open_service(settings_from(home))


@post_app.command("new")
@handle_errors
def post_new(
    project: str = typer.Argument(..., metavar="PROJECT", help="The project's id."),
    folder: Path | None = typer.Option(
        None, "--dir", help="Where the post goes (default: HOME/posts)."
    ),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Draft a write-up of PROJECT: results table, score-history plot, the four steps."""
    from trackrecord.portfolio.draft import draft_writeup

    with _service(home) as svc:
        draft = draft_writeup(
            svc, svc.local_user_id(), project, folder or svc.settings.home / "posts"
        )
    if json:
        print_json({"path": draft.path, "plot": draft.plot, "front_matter": draft.front_matter})
        return
    console.print(f"Drafted {draft.path} (plot: {draft.plot.name}).")
    console.print(
        "Write under each of the four steps, set `draft: false`, then `trackrecord publish DIR`."
    )


def _export(svc: Service, ledger: Path | None) -> Export:
    from trackrecord.ledger import read_export

    if ledger is not None:
        return read_export(ledger)
    return svc.export_ledger(svc.local_user_id())


def _verify_line(export: Export) -> tuple[bool, str]:
    """The ledger checked here too (signatures, chain, keys, status), in one line."""
    from trackrecord.ledger import verify_export

    report = verify_export(export)
    bad = report.first_failure
    if bad is None:
        return True, f"ledger: {len(report.records)} record(s), every one verified"
    which = f"record {bad.index} ({bad.name or bad.issuer}, position {bad.position})"
    return False, f"ledger: {which} fails: {bad.reason} (its page will say so)"


def _print_notices(notices: list[Notice]) -> None:
    for n in notices:
        colour = {"error": "red", "warning": "yellow", "sanitized": "yellow"}.get(n.kind, "dim")
        err_console.print(f"[{colour}]{n.kind}[/] {n.file}" + (f", line {n.line}" if n.line else "")
                          + f": {n.message}", highlight=False, markup=True)  # fmt: skip


@handle_errors
def publish(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help="The site's folder, or the blog's."),
    posts: Path | None = typer.Option(
        None, "--posts", help="Folder of Markdown posts (default: HOME/posts)."
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="Write project posts into an existing hugo, jekyll or nextjs blog."
    ),
    ledger: Path | None = typer.Option(
        None, "--ledger", help="Build from this ledger export (default: your own ledger)."
    ),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Where the site will live (absolute links in the feed)."
    ),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Build your portfolio: a static site, or (--format) posts for your blog."""
    from trackrecord.portfolio.gather import site_input

    with _service(home) as svc:
        export = _export(svc, ledger)
        posts_dir = posts or svc.settings.home / "posts"
        data = site_input(svc, svc.local_user_id(), export.to_dict(), posts_dir, base_url=base_url)
    ok, line = _verify_line(export)
    if fmt is not None:
        _publish_blog(fmt, outdir, data, ok, line, json)
        return
    from trackrecord.portfolio.site import build_site

    report = build_site(outdir, data)
    if json:
        print_json({"out": report.out, "projects": report.projects, "posts": report.posts,
                    "drafts": report.drafts, "records": report.records, "ledger_ok": ok,
                    "ledger": line, "notices": report.notices})  # fmt: skip
        return
    _print_notices(report.notices)
    drafts = f" ({report.drafts} draft(s) left out)" if report.drafts else ""
    console.print(
        f"Built {outdir}: {report.projects} project page(s), {report.posts} post(s){drafts}."
    )
    console.print(("" if ok else "[yellow]warning:[/] ") + line, highlight=False)
    console.print(f"Open {outdir / 'index.html'} in a browser, or copy the folder to any host.")


def _publish_blog(fmt: str, blog: Path, data: Any, ok: bool, line: str, json: bool) -> None:
    from trackrecord.portfolio.exporters import export_blog
    from trackrecord.portfolio.records import by_project, read_records

    groups = by_project(read_records(data.export))
    writeups = {p.project: p for p in sorted(data.posts, key=lambda p: p.date)
                if p.project and not p.draft}  # fmt: skip
    roots = [data.posts_root] if data.posts_root else []
    report = export_blog(fmt, blog, groups, writeups, data.projects, roots=roots)
    if json:
        print_json({"format": fmt, "written": report.written, "notices": report.notices,
                    "ledger_ok": ok, "ledger": line})  # fmt: skip
        return
    _print_notices(list(data.post_problems) + report.notices)
    posts = [p for p in report.written if p.suffix == ".md"]
    console.print(f"Wrote {len(posts)} project post(s) into the {fmt} blog at {blog}:")
    for p in posts:
        console.print(f"  {p.relative_to(blog)}", highlight=False)
    console.print(("" if ok else "[yellow]warning:[/] ") + line, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(post_app, name="post")
    app.command("publish")(publish)

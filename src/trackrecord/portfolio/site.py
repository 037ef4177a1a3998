"""The static site: `build_site(out, SiteInput)` writes a folder that works from file:// and
on any static host.

    index.html            who, medals, progress toward the ladder, skills, results, posts
    projects/<id>.html    a project: its credentials (verified in the browser), the score
                          history, the learner's write-up
    posts/<slug>.html     the posts (drafts are left out)
    keys.html             the issuers' public keys and where each comes from
    trackrecord.json      the ledger export, as given
    feed.xml              Atom: posts and results
    assets/               style.css, verify.js, copied images

A post that cannot be read is reported (`SiteReport.notices`) and the rest still builds.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from trackrecord.errors import TrackrecordError
from trackrecord.portfolio import feed, views
from trackrecord.portfolio.charts import Point, SkillBar, history_svg
from trackrecord.portfolio.markdown import find_local, is_remote, pygments_css, render
from trackrecord.portfolio.pages import SiteMeta
from trackrecord.portfolio.posts import Post, slugify
from trackrecord.portfolio.records import ProjectRecords, by_project, read_records
from trackrecord.portfolio.report import Notice

OWNED = ("index.html", "keys.html", "feed.xml", "trackrecord.json", "projects", "posts", "assets")


class SiteError(TrackrecordError):
    status = 409
    code = "site_error"


@dataclass(frozen=True)
class ProjectExtra:
    """What the local install knows of a project beyond its credentials: the score history
    (public scores of the submissions, with the public medal lines) and metric."""

    project_id: str
    title: str
    metric: str
    greater_is_better: bool
    points: tuple[Point, ...] = ()
    lines: Mapping[str, float | None] = field(default_factory=dict)

    def history_svg(self) -> str:
        """The score history chart: the public scores against the public medal lines."""
        return history_svg(
            self.points, self.lines, greater_is_better=self.greater_is_better, metric=self.metric
        )


@dataclass(frozen=True)
class LevelProgress:
    """One rung of the ladder: projects of this level that exist, finalized, with a medal."""

    level: int
    projects: int
    finalized: int
    medals: int


@dataclass(frozen=True)
class SiteInput:
    export: Mapping[str, Any]  # the ledger export (trackrecord-ledger, version 1)
    posts: Sequence[Post] = ()
    post_problems: Sequence[Notice] = ()  # posts that could not be read (reported, skipped)
    posts_root: Path | None = None  # resolves images written with a leading slash
    projects: Mapping[str, ProjectExtra] = field(default_factory=dict)
    skills: Sequence[SkillBar] = ()
    ladder: Sequence[LevelProgress] = ()
    base_url: str | None = None
    generated: datetime | None = None


@dataclass
class SiteReport:
    out: Path
    projects: int = 0
    posts: int = 0
    drafts: int = 0
    records: int = 0
    notices: list[Notice] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedPost:
    post: Post
    html: str
    image: str | None  # the featured image's URL from a page one folder down


class Images:
    """Copies local images into assets/images once each, under unique names."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: dict[Path, str] = {}

    def copy(self, path: Path) -> str:
        key = path.resolve()
        name = self.names.get(key)
        if name is None:
            stem, n = slugify(path.stem), 1
            name = f"{stem}{path.suffix.lower()}"
            while name in self.names.values():
                n += 1
                name = f"{stem}-{n}{path.suffix.lower()}"
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.folder / name)
            self.names[key] = name
        return f"../assets/images/{name}"


def prepare(out: Path) -> None:
    """An empty folder, or a site this command built before (its own files are replaced);
    never a folder of other things."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        marker = out / "trackrecord.json"
        try:
            ours = json.loads(marker.read_text("utf-8")).get("format") == "trackrecord-ledger"
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours:
            raise SiteError(
                f"{out} is not empty and is not a site trackrecord built: choose an empty "
                "or new folder (nothing was written)"
            )
        for name in OWNED:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)


def _render_posts(data: SiteInput, images: Images, report: SiteReport) -> list[RenderedPost]:
    roots = [data.posts_root] if data.posts_root else []
    done = []
    for post in data.posts:
        report.notices.extend(post.notices)
        if post.draft:
            report.drafts += 1
            report.notices.append(Notice("skipped", "draft: not published", str(post.path)))
            continue
        out = render(
            post.body, source=post.path, copy=images.copy, roots=roots, first_line=post.body_line
        )
        report.notices.extend(out.notices)
        done.append(RenderedPost(post, out.html, _featured(post, images, roots, report)))
    done.sort(key=lambda p: p.post.date, reverse=True)
    return done


def _featured(post: Post, images: Images, roots: list[Path], report: SiteReport) -> str | None:
    if not post.image:
        return None
    if is_remote(post.image):
        return post.image
    found = find_local(post.image, post.path, roots)
    if found is None:
        message = f"featured image {post.image} not found; left out"
        report.notices.append(Notice("warning", message, str(post.path)))
        return None
    return images.copy(found)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _assets(out: Path) -> None:
    source = resources.files("trackrecord.portfolio") / "assets"
    css = (source / "style.css").read_text("utf-8") + "\n" + pygments_css() + "\n"
    _write(out / "assets" / "style.css", css)
    _write(out / "assets" / "verify.js", (source / "verify.js").read_text("utf-8"))


def build_site(out: Path, data: SiteInput) -> SiteReport:
    """Write the site into `out` (empty, new, or built here before)."""
    records = read_records(data.export)  # checks the export before anything is written
    prepare(out)
    report = SiteReport(out, records=len(records))
    report.notices.extend(data.post_problems)
    subject = data.export.get("subject") or {}
    name = str(subject.get("name") or "Track record")
    meta = SiteMeta(name, str(subject.get("id") or ""), data.generated or datetime.now(UTC))
    issuers: Mapping[str, Any] = data.export["issuers"]
    posts = _render_posts(data, Images(out / "assets" / "images"), report)
    groups = by_project(records)
    writeups = {p.post.project: p for p in reversed(posts) if p.post.project}
    for group in groups:
        page = views.project_page(group, data.projects.get(group.project_id),
                                  writeups.get(group.project_id), issuers, meta)  # fmt: skip
        _write(out / "projects" / f"{slugify(group.project_id)}.html", page)
    for rendered in posts:
        _write(out / "posts" / f"{rendered.post.slug}.html", views.post_page(rendered, meta))
    _write(out / "index.html", views.index_page(groups, posts, data, issuers, meta))
    _write(out / "keys.html", views.keys_page(issuers, meta))
    _write(out / "trackrecord.json", json.dumps(data.export, indent=2, ensure_ascii=False))
    _write(out / "feed.xml", _feed(groups, posts, meta, data.base_url))
    _assets(out)
    report.projects, report.posts = len(groups), len(posts)
    return report


def _feed(
    groups: Sequence[ProjectRecords],
    posts: Sequence[RenderedPost],
    meta: SiteMeta,
    base: str | None,
) -> str:
    entries = [
        feed.Entry(
            key=f"post:{p.post.slug}",
            title=p.post.title,
            path=f"posts/{p.post.slug}.html",
            updated=p.post.lastmod or p.post.date,
            published=p.post.date,
            summary=p.post.description,
            # image URLs in a post are relative to posts/; the feed sits at the root
            content_html=p.html.replace('src="../assets/', 'src="assets/'),
            categories=p.post.tags,
        )
        for p in posts
    ]
    for g in groups:
        r = g.headline
        entries.append(
            feed.Entry(
                key=f"result:{r.issuer}:{r.position}",
                title=r.name or r.title,
                path=f"projects/{slugify(g.project_id)}.html",
                updated=r.issued or meta.generated,
                summary=f"{r.title}: origin {r.origin or 'not stated'}",
            )
        )
    return feed.atom(title=meta.title, subject=meta.subject, author=meta.title,
                     entries=entries, generated=meta.generated, base_url=base)  # fmt: skip

"""Project posts for an existing blog (`trackrecord publish --format hugo|jekyll|nextjs DIR`).

One post per project in the ledger: the learner's write-up for it when there is one (a post
whose front matter says `project: ID`, not a draft), else a short post of the result. Each
gets the results table, the score-history plot as an asset, and the front matter its
generator expects:

    hugo    content/posts/<slug>/index.md, assets in the same page bundle
    jekyll  _posts/YYYY-MM-DD-<slug>.md, assets in assets/trackrecord/<slug>/
    nextjs  _posts/ (else posts/, content/posts/) <slug>.md, assets in public/assets/...

Every file written carries a `trackrecord:` front matter entry (project, origin, medal, the
signed credential); a file there without it is the learner's own and is never overwritten.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from trackrecord.portfolio.charts import history_svg
from trackrecord.portfolio.frontmatter import dump_post, split_front_matter
from trackrecord.portfolio.markdown import find_local, is_remote
from trackrecord.portfolio.posts import Post, slugify
from trackrecord.portfolio.records import ProjectRecords, Record
from trackrecord.portfolio.report import Notice, PostError
from trackrecord.portfolio.site import ProjectExtra, SiteError

FORMATS = ("hugo", "jekyll", "nextjs")
MARKERS = {
    "hugo": ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json"),
    "jekyll": ("_config.yml", "_config.yaml"),
    "nextjs": ("next.config.js", "next.config.mjs", "next.config.ts", "package.json"),
}
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")


@dataclass
class BlogReport:
    written: list[Path] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    post: Path  # the Markdown file
    assets: Path  # the folder the post's images go to
    url: str  # how the post links an asset: url + name


def check_blog(fmt: str, blog: Path) -> None:
    if fmt not in FORMATS:
        raise SiteError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if not blog.is_dir():
        raise SiteError(f"{blog} is not a folder: point --format {fmt} at your blog's root")
    if not any((blog / m).is_file() for m in MARKERS[fmt]):
        names = ", ".join(MARKERS[fmt])
        raise SiteError(f"{blog} does not look like a {fmt} blog (none of {names} is there): "
                        "point it at the blog's root folder")  # fmt: skip


def layout(fmt: str, blog: Path, slug: str, date: datetime) -> Layout:
    if fmt == "hugo":
        folder = blog / "content" / "posts" / slug
        return Layout(folder / "index.md", folder, "")
    if fmt == "jekyll":
        return Layout(
            blog / "_posts" / f"{date:%Y-%m-%d}-{slug}.md",
            blog / "assets" / "trackrecord" / slug,
            f"/assets/trackrecord/{slug}/",
        )
    found = next((blog / d for d in ("_posts", "posts", "content/posts") if (blog / d).is_dir()),
                 blog / "posts")  # fmt: skip
    return Layout(found / f"{slug}.md", blog / "public" / "assets" / "trackrecord" / slug,
                  f"/assets/trackrecord/{slug}/")  # fmt: skip


def front_matter(fmt: str, post: Post | None, head: Record, image: str) -> dict[str, Any]:
    """The fields each generator reads, then the learner's own fields, then ours."""
    title = post.title if post else head.name or head.title
    date = post.date if post else head.issued or datetime.now().astimezone()
    description = (post.description if post else "") or head.description
    tags = list(post.tags if post else head.skills)
    fm: dict[str, Any] = {"title": title}
    if fmt == "hugo":
        fm |= {"date": date.isoformat(), "draft": False, "description": description,
               "tags": tags, "categories": ["projects"], "images": [image]}  # fmt: skip
    elif fmt == "jekyll":
        fm |= {"layout": "post", "date": date.strftime("%Y-%m-%d %H:%M:%S %z"),
               "categories": ["projects"], "tags": tags, "excerpt": description,
               "image": image}  # fmt: skip
    else:
        fm |= {"date": date.isoformat(), "excerpt": description, "coverImage": image,
               "tags": tags, "published": True}  # fmt: skip
    if post is not None:
        drop = {"draft", "published", "project", "slug", "date", "title"}
        fm |= {k: v for k, v in post.front_matter.items() if k not in drop and k not in fm}
    fm["trackrecord"] = {"project": head.project_id, "origin": head.origin, "medal": head.medal,
                         "issuer": head.issuer, "credential": head.credential}  # fmt: skip
    return fm


def result_table(head: Record) -> str:
    rows = [(c.label, c.value) for c in head.claims]
    lines = ["| Result | |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows)]
    note = (
        f"Signed by {head.issuer} as an Open Badges 3.0 credential (in this post's front "
        "matter); anyone can check it with `trackrecord verify`."
    )
    return "\n".join(lines) + "\n\n" + note


def _ours(path: Path) -> bool:
    try:
        fm, _, _ = split_front_matter(path.read_text("utf-8"), path)
    except (OSError, UnicodeDecodeError, PostError):
        return False
    return isinstance(fm.get("trackrecord"), dict)


def _copy_images(body: str, post: Post, roots: Sequence[Path], place: Layout,
                 report: BlogReport) -> str:  # fmt: skip
    def swap(match: re.Match[str]) -> str:
        src = match.group(2)
        if is_remote(src):
            return match.group(0)
        found = find_local(src, post.path, roots)
        if found is None:
            report.notices.append(Notice("warning", f"image {src} not found", str(post.path)))
            return match.group(0)
        place.assets.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, place.assets / found.name)
        return f"![{match.group(1)}]({place.url}{found.name}{match.group(3) or ''})"

    return _IMAGE.sub(swap, body)


def export_blog(
    fmt: str,
    blog: Path,
    groups: Sequence[ProjectRecords],
    writeups: Mapping[str, Post],
    extras: Mapping[str, ProjectExtra],
    *,
    roots: Sequence[Path] = (),
) -> BlogReport:
    """Write one post per project into the blog at `blog` (see the module docstring)."""
    check_blog(fmt, blog)
    report = BlogReport()
    for group in groups:
        head, post = group.headline, writeups.get(group.project_id)
        slug = post.slug if post else slugify(group.project_id)
        place = layout(fmt, blog, slug, post.date if post else head.issued or datetime.now())
        if place.post.exists() and not _ours(place.post):
            message = "not written: a post of yours is already there (no trackrecord entry)"
            report.notices.append(Notice("skipped", message, str(place.post)))
            continue
        report.written += _write_post(fmt, place, group, post, extras, roots, report)
    return report


def _write_post(fmt: str, place: Layout, group: ProjectRecords, post: Post | None,
                extras: Mapping[str, ProjectExtra], roots: Sequence[Path],
                report: BlogReport) -> list[Path]:  # fmt: skip
    head, written = group.headline, []
    place.assets.mkdir(parents=True, exist_ok=True)
    plot = place.assets / "history.svg"
    extra = extras.get(group.project_id)
    if extra is not None:
        svg = extra.history_svg()
    else:
        svg = history_svg((), {}, greater_is_better=True, metric=head.title)
    plot.write_text(svg + "\n", encoding="utf-8")
    written.append(plot)
    image = place.url + plot.name
    if post is None:
        parts = ["## Result", result_table(head), f"![Score history]({image})"]
    else:  # the write-up has its own table and plot (`post new`): the signed result follows
        body = _copy_images(post.body.strip(), post, roots, place, report)
        parts = [body, "## The signed result", result_table(head)]
    body = "\n\n".join(parts) + "\n"
    place.post.parent.mkdir(parents=True, exist_ok=True)
    fm = front_matter(fmt, post, head, image)
    place.post.write_text(dump_post(fm, "\n" + body), encoding="utf-8")
    written.append(place.post)
    return written

"""Posts: Markdown files with front matter, read the way blog generators write them.

Front matter is YAML between `---` lines (Hugo, Jekyll, Quarto, Next.js) or TOML between
`+++` lines (Hugo). Every field is kept as written in `Post.front_matter`; the fields a
page needs are read from the names each generator uses (`FIELDS`). A file without front
matter is still a post: its title comes from the first heading or the file name, its date
from a `YYYY-MM-DD-` file-name prefix (Jekyll) or the file's modification time.

Text decoded with the wrong code page ("â€“" for "–") is repaired with ftfy, and every
repaired line is reported. A file that cannot be read (bad YAML, not UTF-8 or UTF-16) raises
`PostError` naming the file and line; `read_posts` reports it and reads the rest.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ftfy

from trackrecord.portfolio.frontmatter import (
    FIELDS,
    as_datetime,
    first,
    image_of,
    is_draft,
    split_front_matter,
    strings,
)
from trackrecord.portfolio.report import Notice, PostError, post_error

SUFFIXES = (".md", ".markdown", ".qmd")
# Only the encoding repairs: curly quotes, ligatures and widths are the author's choice.
REPAIR = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
_JEKYLL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Post:
    """One post. `front_matter` holds every field as read (unknown ones included);
    `body_line` is the file line the Markdown body starts on."""

    path: Path
    front_matter: dict[str, Any]
    body: str
    title: str
    date: datetime
    slug: str
    lastmod: datetime | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    draft: bool = False
    image: str | None = None
    related: tuple[str, ...] = ()
    project: str | None = None
    body_line: int = 1
    notices: tuple[Notice, ...] = field(default=())


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is an error at the
    line of the first byte that is not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise post_error(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save it as UTF-8", line
        ) from None


def repair(text: str, path: Path) -> tuple[str, list[Notice]]:
    """Fix mojibake with ftfy; one notice per changed line, quoting what changed."""
    fixed: str = ftfy.fix_text(text, config=REPAIR)
    if fixed == text:
        return text, []
    before, after = text.split("\n"), fixed.split("\n")
    if len(before) != len(after):  # the repair joined or split lines: report it once
        return fixed, [Notice("repaired", "mojibake repaired (ftfy)", str(path))]
    notices = []
    for number, (old, new) in enumerate(zip(before, after, strict=True), 1):
        if old != new:
            notices.append(Notice("repaired", f"mojibake {_change(old, new)}", str(path), number))
    return fixed, notices


def _change(old: str, new: str) -> str:
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    changes = [f"{old[a:b]!r} -> {new[c:d]!r}" for tag, a, b, c, d in ops if tag != "equal"]
    return ", ".join(changes[:3]) + (f" (and {len(changes) - 3} more)" if len(changes) > 3 else "")


def slugify(text: str) -> str:
    return _SLUG_DROP.sub("-", text.lower()).strip("-") or "post"


def _line_of(front_matter_text: str, key: str) -> int | None:
    for i, line in enumerate(front_matter_text.split("\n"), 1):
        if line.startswith(f"{key}:") or line.startswith(f"{key} ="):
            return i
    return None


def _title_from_body(body: str) -> tuple[str | None, str]:
    """The first heading (ATX or setext) before any paragraph, and the body without it."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        atx = _HEADING.match(line)
        if atx:
            return atx.group(1), "\n".join(lines[:i] + lines[i + 1 :])
        below = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if below and set(below) <= {"="}:
            return line.strip(), "\n".join(lines[:i] + lines[i + 2 :])
        return None, body
    return None, body


def _file_date(path: Path, mtime: float | None) -> datetime:
    match = _JEKYLL_NAME.match(path.stem)
    if match:
        moment = as_datetime(match.group(1))
        if moment is not None:
            return moment
    stamp = mtime if mtime is not None else path.stat().st_mtime
    return datetime.fromtimestamp(stamp, UTC)


def _slug(fm: Mapping[str, Any], path: Path) -> str:
    if fm.get("slug"):
        return slugify(str(fm["slug"]))
    stem = path.parent.name if path.stem in ("index", "_index") else path.stem
    match = _JEKYLL_NAME.match(stem)
    return slugify(match.group(2) if match else stem)


def parse_post(
    text: str, path: Path, *, mtime: float | None = None, fix_mojibake: bool = True
) -> Post:
    """A post from its text (`path` names it in messages and gives the fallbacks)."""
    notices: list[Notice] = []
    if fix_mojibake:
        text, notices = repair(text, path)
    fm, body, body_line = split_front_matter(text, path)
    head = "\n".join(text.split("\n")[: body_line - 1])
    title = first(fm, "title")
    if title is None:
        found, body = _title_from_body(body)
        title = found or path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    date_value = first(fm, "date")
    moment = as_datetime(date_value)
    if date_value is not None and moment is None:
        where = _line_of(head, next(k for k in FIELDS["date"] if fm.get(k) == date_value))
        message = f"date {date_value!r} is not a date; using the file's date"
        notices.append(Notice("warning", message, str(path), where))
    return Post(
        path=path,
        front_matter=fm,
        body=body,
        title=str(title),
        date=moment or _file_date(path, mtime),
        slug=_slug(fm, path),
        lastmod=as_datetime(first(fm, "lastmod")),
        description=str(first(fm, "description") or ""),
        tags=strings(first(fm, "tags")),
        categories=strings(first(fm, "categories")),
        draft=is_draft(fm),
        image=image_of(first(fm, "image")),
        related=strings(first(fm, "related")),
        project=str(fm["project"]) if fm.get("project") else None,
        body_line=body_line,
        notices=tuple(notices),
    )


def read_post(path: Path, *, fix_mojibake: bool = True) -> Post:
    """Read one post file; PostError (with file and line) when it cannot be read."""
    data = path.read_bytes()
    return parse_post(
        decode(data, path), path, mtime=path.stat().st_mtime, fix_mojibake=fix_mojibake
    )


@dataclass(frozen=True)
class PostSet:
    """The posts of a folder that could be read, and what was wrong with the others."""

    posts: tuple[Post, ...]
    problems: tuple[Notice, ...]


def post_files(folder: Path) -> list[Path]:
    """Markdown files under `folder` (page bundles' index.md included), hidden ones skipped."""
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found)


def read_posts(folder: Path, files: Sequence[Path] | None = None) -> PostSet:
    """Every post under `folder`; a broken one is reported and the others are read. Slugs are
    made unique (a second `intro` becomes `intro-2`, with a notice)."""
    posts: list[Post] = []
    problems: list[Notice] = []
    seen: set[str] = set()
    for path in files if files is not None else post_files(folder):
        try:
            post = read_post(path)
        except PostError as exc:
            for p in exc.problems:
                problems.append(Notice("error", p.message, p.file or str(path), p.line))
            continue
        except OSError as exc:
            problems.append(Notice("error", f"cannot read: {exc.strerror}", str(path)))
            continue
        slug, n = post.slug, 1
        while slug in seen:
            n += 1
            slug = f"{post.slug}-{n}"
        if slug != post.slug:
            note = Notice("warning", f"slug {post.slug!r} is taken; using {slug!r}", str(path))
            post = replace(post, slug=slug, notices=(*post.notices, note))
        seen.add(slug)
        posts.append(post)
    return PostSet(tuple(posts), tuple(problems))

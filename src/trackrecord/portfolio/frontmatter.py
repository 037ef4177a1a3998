"""Front matter: the block of fields at the top of a post, and the names blog generators
give each idea (Hugo, Jekyll, Quarto, Next.js).

YAML between `---` lines, or TOML between `+++` lines (Hugo). Nothing is rejected for being
unknown: callers keep the whole mapping and read the ideas they need with `first`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from trackrecord.portfolio.report import post_error

# The names generators use for one idea, first match wins.
FIELDS: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "name"),
    "date": ("date", "pubDate", "published_at", "publishDate", "created"),
    "lastmod": ("lastmod", "last_modified_at", "updated", "modified", "dateModified"),
    "description": ("description", "excerpt", "summary", "subtitle", "preview", "abstract"),
    "tags": ("tags", "keywords"),
    "categories": ("categories", "category"),
    "image": ("featuredImage", "featured_image", "image", "coverImage", "cover", "thumbnail"),
    "related": ("relatedPosts", "related", "related_posts"),
}


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line the body starts on). No front matter: ({}, text, 1)."""
    lines = text.split("\n")
    fence = lines[0].rstrip() if lines else ""
    if fence not in ("---", "+++"):
        return {}, text, 1
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (fence, "...")), None)
    if end is None:
        raise post_error(path, f"the front matter opened with {fence} is never closed", 1)
    source = "\n".join(lines[1:end])
    data = _load_toml(source, path) if fence == "+++" else _load_yaml(source, path)
    return data, "\n".join(lines[end + 1 :]), end + 2


def _load_yaml(source: str, path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the fence
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise post_error(path, f"front matter is not valid YAML: {problem}", line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise post_error(path, f"front matter is a {type(data).__name__}, not a mapping", 2)
    return {str(k): v for k, v in data.items()}


def _load_toml(source: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) + 1 if match else source.count("\n") + 2  # at the end
        raise post_error(path, f"front matter is not valid TOML: {exc}", line) from None


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no types
    """PyYAML writes NEL and the Unicode line separators unquoted in plain scalars, where a
    reader takes them for line breaks: such strings are written double-quoted (escaped)."""


_BREAKS = ("\x85", "\u2028", "\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(b in value for b in _BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_post(front_matter: Mapping[str, Any], body: str) -> str:
    """A post's text: YAML front matter (field order kept, text as written: non-ASCII is
    not escaped) and the body."""
    if not front_matter:
        return body
    head = yaml.dump(
        dict(front_matter), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000
    )
    return f"---\n{head}---\n{body}"


def first(fm: Mapping[str, Any], idea: str) -> Any:
    """The first non-empty value among the names generators use for `idea`."""
    for name in FIELDS[idea]:
        value = fm.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:  # Jekyll writes "2024-01-20 10:00:00 +0100"
                moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
            except ValueError:
                return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def strings(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):  # "a, b" or "a b" (Jekyll allows both for categories)
        parts = value.split(",") if "," in value else value.split()
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if v not in (None, ""))
    return (str(value),)


def image_of(value: Any) -> str | None:
    if isinstance(value, dict):  # Hugo themes: cover: {image: ...}
        value = value.get("image") or value.get("src")
    return str(value) if value not in (None, "") else None


def is_draft(fm: Mapping[str, Any]) -> bool:
    if "draft" in fm:
        return fm["draft"] is True or str(fm["draft"]).lower() in ("true", "yes")
    if "published" in fm:
        return fm["published"] is False or str(fm["published"]).lower() in ("false", "no")
    return False

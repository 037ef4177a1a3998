"""A post's Markdown as safe HTML: CommonMark with tables, code highlighted by pygments,
raw HTML sanitized by nh3, images resolved.

Raw HTML is allowed in the Markdown (authors colour a word with `<span style="color:...">`)
and the whole rendered page is then cleaned: scripts, styles, frames and event handlers go;
a span keeps its `style` with only harmless properties (colours, weight, alignment), and
`class` is kept on the elements pygments writes. What the sanitizer removed is reported.

Local images are copied beside the site (the caller's `copy` decides where); remote ones
stay links to where they are; an image that cannot be found is left out and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments import highlight as pygmentize
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from trackrecord.portfolio.report import Notice

PYGMENTS_STYLE = "friendly"
STYLE_PROPERTIES = frozenset(
    {"color", "background-color", "font-weight", "font-style", "text-decoration", "text-align"}
)
_CLASSED = ("span", "code", "pre", "div")
_STYLED = ("span", "td", "th", "p", "mark")


def _attributes() -> dict[str, set[str]]:
    allowed = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in _CLASSED:
        allowed.setdefault(tag, set()).add("class")
    for tag in _STYLED:
        allowed.setdefault(tag, set()).add("style")
    for level in range(1, 7):
        allowed.setdefault(f"h{level}", set()).add("id")
    allowed["img"] |= {"title", "loading"}
    allowed["a"] |= {"title"}
    return allowed


ATTRIBUTES = _attributes()
# Dropped with what is inside them, not just the tags.
DROPPED = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template"})
_DANGER = (
    (re.compile(r"<\s*(script|style|iframe|object|embed|form)\b", re.I), "a <{0}> element"),
    (re.compile(r"\s(on[a-z]+)\s*=", re.I), "an event handler ({0})"),
    (re.compile(r"(javascript):", re.I), "a {0}: link"),
)


def sanitize(html: str) -> str:
    """HTML with only safe elements and attributes (see the module docstring)."""
    cleaned: str = nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS),
        clean_content_tags=set(DROPPED),
        attributes=ATTRIBUTES,
        filter_style_properties=set(STYLE_PROPERTIES),
        url_schemes={"http", "https", "mailto"},
    )
    return cleaned


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    try:
        lexer: Lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return None
    return lexer


_FORMATTER = HtmlFormatter(nowrap=True)


def highlight(code: str, language: str, _attrs: object = None) -> str:
    """A fenced block as highlighted HTML; "" (plain, escaped by markdown-it) when the
    language is unknown or not given."""
    lexer = _lexer(language.strip().lower()) if language.strip() else None
    if lexer is None:
        return ""
    body = pygmentize(code, lexer, _FORMATTER)
    name = re.sub(r"[^a-z0-9+#-]", "", language.lower())
    return f'<pre class="highlight"><code class="language-{name}">{body}</code></pre>\n'


def pygments_css() -> str:
    css: str = HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight")
    return css


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "highlight": highlight})
    return md.enable(["table", "strikethrough"])


CopyImage = Callable[[Path], str]  # a local image file -> the URL the page uses for it


@dataclass
class Rendered:
    html: str
    notices: list[Notice] = field(default_factory=list)


@dataclass
class _Context:
    source: Path
    roots: Sequence[Path]
    first_line: int
    copy: CopyImage
    notices: list[Notice]


def is_remote(src: str) -> bool:
    return bool(urlsplit(src).scheme) or src.startswith("//")


def find_local(src: str, source: Path, roots: Sequence[Path]) -> Path | None:
    """A local image path as the generators resolve it: relative to the post, or (a leading
    slash) to the blog's root, its `static/` (Hugo) or `public/` (Next.js) folder."""
    path = unquote(urlsplit(src).path)
    if not path:
        return None
    if path.startswith("/"):
        rel = path.lstrip("/")
        candidates = [root / sub / rel for root in roots for sub in ("", "static", "public")]
    else:
        candidates = [source.parent / path]
    return next((c for c in candidates if c.is_file()), None)


def _image(token: Token, ctx: _Context, line: int | None) -> bool:
    """Resolve one image token; False when it must be left out."""
    src = str(token.attrGet("src") or "")
    if not src or is_remote(src):
        return bool(src)
    found = find_local(src, ctx.source, ctx.roots)
    if found is None:
        message = f"image {src} not found; left out of the page"
        ctx.notices.append(Notice("warning", message, str(ctx.source), line))
        return False
    token.attrSet("src", ctx.copy(found))
    return True


def _walk(tokens: list[Token], ctx: _Context) -> None:
    for token in tokens:
        line = ctx.first_line + token.map[0] if token.map else None
        if token.type in ("html_block", "html_inline"):
            _report_html(token.content, ctx, line)
        if token.children:
            for child in token.children:
                if child.type == "html_inline":
                    _report_html(child.content, ctx, line)
            token.children = [
                c for c in token.children if c.type != "image" or _image(c, ctx, line)
            ]


def _report_html(raw: str, ctx: _Context, line: int | None) -> None:
    for pattern, what in _DANGER:
        for match in pattern.finditer(raw):
            message = f"removed {what.format(match.group(1).lower())} from raw HTML"
            ctx.notices.append(Notice("sanitized", message, str(ctx.source), line))


def render(
    body: str,
    *,
    source: Path,
    copy: CopyImage,
    roots: Sequence[Path] = (),
    first_line: int = 1,
) -> Rendered:
    """`body` (Markdown from `source`, starting on file line `first_line`) as safe HTML."""
    md = markdown()
    env: dict[str, object] = {}
    tokens = md.parse(body, env)
    ctx = _Context(source, roots, first_line, copy, [])
    _walk(tokens, ctx)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(sanitize(html), ctx.notices)

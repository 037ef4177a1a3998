"""Source code as HTML: syntax-highlighted with pygments when it is installed, else a plain,
escaped <pre>."""

from __future__ import annotations

import functools

from markupsafe import Markup, escape


def code_html(source: str, language: str = "python") -> Markup:
    """`source` as a block of HTML that is safe to put in a page (styles inline, so it
    needs no stylesheet of its own)."""
    try:
        import pygments  # noqa: F401
    except ImportError:
        return Markup('<pre class="code"><code>{}</code></pre>').format(escape(source))
    return _highlighted(source, language)


@functools.lru_cache(maxsize=128)  # the same reference code is shown on every page view
def _highlighted(source: str, language: str) -> Markup:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    formatter = HtmlFormatter(noclasses=True, cssclass="code", style="friendly")
    return Markup(highlight(source, get_lexer_by_name(language), formatter))

"""Source code as HTML: syntax-highlighted with pygments when it is installed, else a plain,
escaped <pre>."""

from __future__ import annotations

from markupsafe import Markup, escape


def code_html(source: str, language: str = "python") -> Markup:
    """`source` as a block of HTML that is safe to put in a page (styles inline, so it
    needs no stylesheet of its own)."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import get_lexer_by_name
    except ImportError:
        return Markup('<pre class="code"><code>{}</code></pre>').format(escape(source))
    formatter = HtmlFormatter(noclasses=True, cssclass="code", style="friendly")
    return Markup(highlight(source, get_lexer_by_name(language), formatter))

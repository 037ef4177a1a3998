"""The portfolio: the learner's posts and signed results as a static site anyone can check.

- `posts`: Markdown posts with front matter as Hugo, Jekyll, Quarto and Next.js write it;
- `markdown`: a post's body as sanitized, highlighted HTML;
- `records`: the ledger export's credentials, decoded for display;
- `site`: the static site (each result verified in the browser), with `feed` (Atom);
- `draft`: a project's write-up to start from (`trackrecord post new`);
- `exporters`: project posts for an existing Hugo, Jekyll or Next.js blog.

Nothing here talks HTTP or to a terminal: the CLI (`trackrecord publish`, `post new`)
gathers the inputs and renders the reports.
"""

from trackrecord.portfolio.posts import Post, PostSet, parse_post, read_post, read_posts
from trackrecord.portfolio.report import Notice, PostError
from trackrecord.portfolio.site import (
    LevelProgress,
    ProjectExtra,
    SiteError,
    SiteInput,
    SiteReport,
    build_site,
)

__all__ = [
    "LevelProgress",
    "Notice",
    "Post",
    "PostError",
    "PostSet",
    "ProjectExtra",
    "SiteError",
    "SiteInput",
    "SiteReport",
    "build_site",
    "parse_post",
    "read_post",
    "read_posts",
]

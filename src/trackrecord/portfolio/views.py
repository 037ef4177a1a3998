"""The site's pages, each built from the data the site module gathered: the index, a
project, a post and the keys page (layout and cards are in `pages`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from trackrecord.portfolio.charts import skills_svg
from trackrecord.portfolio.pages import (
    ORIGIN_WORDS,
    SiteMeta,
    e,
    embed_json,
    issuer_list,
    layout,
    record_card,
    tags,
    verify_data,
    when,
)
from trackrecord.portfolio.records import ProjectRecords

if TYPE_CHECKING:
    from trackrecord.portfolio.site import ProjectExtra, RenderedPost, SiteInput

VERIFY_SCRIPT = '<script src="{root}assets/verify.js"></script>'
MEDALS = ("gold", "silver", "bronze")


def _scripts(records: Sequence[Any], issuers: Mapping[str, Any], root: str) -> str:
    return verify_data(records, issuers) + "\n" + VERIFY_SCRIPT.format(root=root)


def project_page(
    group: ProjectRecords,
    extra: ProjectExtra | None,
    writeup: RenderedPost | None,
    issuers: Mapping[str, Any],
    meta: SiteMeta,
) -> str:
    """A project: its credentials newest first (the headline result leads), origin in
    words, the score history, and the learner's write-up."""
    head = group.headline
    ordered = [head, *[r for r in group.records if r is not head]]
    cards = "\n".join(record_card(r, i, root="../", full=True) for i, r in enumerate(ordered))
    parts = [
        f"<p class='small'><a href='../index.html#results'>Results</a> › {e(group.project_id)}</p>",
        f"<h1>{e(group.title)}</h1>",
        f"<p class='muted'>{e(head.description)}</p>" if head.description else "",
        tags(head.skills),
        f"<p class='small'>{e(ORIGIN_WORDS.get(head.origin or '', 'The origin is not stated.'))}"
        "</p>",
        cards,
    ]
    if head.criteria:
        parts.append(f"<h2>How it was judged</h2><p>{e(head.criteria)}</p>")
    if extra is not None:
        parts.append("<h2>Score history</h2>")
        parts.append(
            "<p class='small muted'>From the learner's install (not part of the signed "
            "credential): every scored submission's public score against the public medal "
            "lines.</p>"
        )
        parts.append(extra.history_svg())
    if writeup is not None:
        parts.append(f"<h2>Write-up: {e(writeup.post.title)}</h2>")
        link = f"../posts/{e(writeup.post.slug)}.html"
        parts.append(f"<p class='small muted'>{when(writeup.post.date)} · "
                     f"<a href='{link}'>as a post</a></p>")  # fmt: skip
        parts.append(f"<article class='writeup'>{writeup.html}</article>")
    body = "\n".join(p for p in parts if p)
    title = f"{group.title} · {meta.title}"
    return layout(title, body, meta=meta, root="../", scripts=_scripts(ordered, issuers, "../"),
                  description=head.name)  # fmt: skip


def post_page(rendered: RenderedPost, meta: SiteMeta) -> str:
    post = rendered.post
    parts = [f"<h1>{e(post.title)}</h1>", f"<p class='muted small'>{when(post.date)}"]
    if post.lastmod and post.lastmod.date() != post.date.date():
        parts.append(f" · updated {when(post.lastmod)}")
    if post.project:
        link = f"../projects/{e(post.project)}.html"
        parts.append(f" · the write-up of <a href='{link}'>{e(post.project)}</a>")
    parts.append("</p>")
    parts.append(tags(post.tags + post.categories))
    if rendered.image:
        parts.append(f"<p><img src='{e(rendered.image)}' alt=''></p>")
    parts.append(f"<article class='post'>{rendered.html}</article>")
    if post.related:
        items = "".join(f"<li>{e(r)}</li>" for r in post.related)
        parts.append(f"<h2>Related</h2><ul>{items}</ul>")
    body = "\n".join(parts)
    return layout(f"{post.title} · {meta.title}", body, meta=meta, root="../",
                  description=post.description)  # fmt: skip


def _medals(groups: Sequence[ProjectRecords]) -> str:
    counts = Counter(g.headline.medal for g in groups if g.headline.medal)
    if not counts:
        return "<p class='muted'>No medals yet.</p>"
    items = " ".join(f"<span class='medal {m}'>{counts[m]} {m}</span>" for m in MEDALS if counts[m])
    return f"<p>{items} <span class='muted small'>(each checked below)</span></p>"


def _ladder(data: SiteInput) -> str:
    if not data.ladder:
        return ""
    rows = []
    for rung in data.ladder:
        share = rung.finalized / rung.projects if rung.projects else 0.0
        rows.append(
            f"<tr><td>level {rung.level}</td><td class='num'>{rung.finalized} of "
            f"{rung.projects}</td><td><div class='bar'><span style='width:{share:.0%}'></span>"
            f"</div></td><td class='num'>{rung.medals}</td></tr>"
        )
    done = sum(r.finalized for r in data.ladder)
    total = sum(r.projects for r in data.ladder)
    return (
        f"<h2>Progress toward the ladder</h2><p>{done} of {total} projects finalized.</p>"
        "<table><thead><tr><th>level</th><th class='num'>finalized</th><th></th>"
        f"<th class='num'>medals</th></tr></thead>{''.join(rows)}</table>"
    )


def index_page(
    groups: Sequence[ProjectRecords],
    posts: Sequence[RenderedPost],
    data: SiteInput,
    issuers: Mapping[str, Any],
    meta: SiteMeta,
) -> str:
    heads = [g.headline for g in groups]
    cards = "\n".join(
        record_card(r, i, root="", full=False, link=True) for i, r in enumerate(heads)
    )
    parts = [
        f"<h1>{e(meta.title)}</h1>",
        f"<p class='muted small'>{e(meta.subject)}</p>" if meta.subject else "",
        _medals(groups),
        _ladder(data),
    ]
    if data.skills:
        parts += ["<h2>Skills</h2>", skills_svg(data.skills)]
    empty = "<p class='muted'>No results yet.</p>"
    parts.append(
        f"<h2 id='results'>Results</h2><div class='grid'>{cards if heads else empty}</div>"
    )
    items = "".join(
        f"<li><a href='posts/{e(p.post.slug)}.html'>{e(p.post.title)}</a> "
        f"<span class='muted small'>{when(p.post.date)}</span>"
        + (f"<br><span class='small'>{e(p.post.description)}</span>" if p.post.description else "")
        + "</li>"
        for p in posts
    )
    parts.append(f"<h2 id='posts'>Posts</h2><ul>{items}</ul>" if posts else "")
    parts.append("<h2>Keys</h2>" + issuer_list(issuers))
    body = "\n".join(p for p in parts if p)
    return layout(meta.title, body, meta=meta, root="", scripts=_scripts(heads, issuers, ""))


def keys_page(issuers: Mapping[str, Any], meta: SiteMeta) -> str:
    """The issuers' public keys (JWKS) as this site carries them, and where each comes from."""
    parts = [
        "<h1>Keys</h1>",
        "<p>Each result is signed (RS256) by its issuer. These are the public keys this site "
        "checks signatures against. A self-scored result is signed by the learner's own key; "
        "a host-verified one by the host's key, which the host also publishes at its "
        "<code>/.well-known/jwks.json</code>: compare them.</p>",
        issuer_list(issuers),
    ]
    for iid, info in issuers.items():
        parts.append(f"<h2>{e(info.get('name') or iid)}</h2>")
        parts.append(f"<pre class='keys'><code>{e(_pretty(info.get('jwks', {})))}</code></pre>")
    parts.append(embed_json(dict(issuers), "trackrecord-issuers"))
    return layout(f"Keys · {meta.title}", "\n".join(parts), meta=meta, root="")


def _pretty(value: Any) -> str:
    import json

    return json.dumps(value, indent=2)

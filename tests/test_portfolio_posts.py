"""Posts: front matter as blog generators write it, posts without it, mojibake, broken files,
and the HTML a post becomes (sanitized, highlighted, images resolved)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trackrecord.portfolio.frontmatter import dump_post
from trackrecord.portfolio.markdown import render
from trackrecord.portfolio.posts import parse_post, read_post, read_posts
from trackrecord.portfolio.report import PostError

from .test_portfolio_support import shared_posts


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def no_copy(path: Path) -> str:
    raise AssertionError(f"nothing should be copied, got {path}")


# Front matter as each generator writes it ---------------------------------------------


def test_hugo_toml_front_matter(tmp_path: Path) -> None:
    text = '+++\ntitle = "Hugo post"\ndate = 2024-03-01T10:00:00Z\ndraft = true\n'
    text += 'tags = ["a", "b"]\n[cover]\nimage = "cover.png"\n+++\nBody\n'
    post = parse_post(text, tmp_path / "hugo.md", mtime=0)
    assert post.title == "Hugo post"
    assert post.date == dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC)
    assert post.draft and post.tags == ("a", "b") and post.image == "cover.png"
    assert post.body.strip() == "Body"


def test_jekyll_file_name_date_and_categories(tmp_path: Path) -> None:
    text = "---\nlayout: post\ncategories: ml kaggle\nexcerpt: Short\n---\n# Heading\n"
    post = parse_post(text, tmp_path / "2023-05-06-my-post.md", mtime=0)
    assert post.date == dt.datetime(2023, 5, 6, tzinfo=dt.UTC)
    assert post.slug == "my-post"
    assert post.categories == ("ml", "kaggle")
    assert post.description == "Short"
    assert post.title == "Heading"
    assert post.front_matter["layout"] == "post"  # unknown to us, kept


def test_nextjs_and_quarto_fields(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Next\ndate: '2024-01-20'\nlastmod: 2024-02-01\nsummary: S\n"
        "published: false\ncoverImage: /img/c.png\nrelatedPosts: [a, b]\n"
        "format: {html: {toc: true}}\n---\nText\n"
    )
    post = parse_post(text, tmp_path / "next.md", mtime=0)
    assert post.draft is True  # published: false
    assert post.description == "S" and post.image == "/img/c.png"
    assert post.related == ("a", "b")
    assert post.lastmod == dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
    assert post.front_matter["format"] == {"html": {"toc": True}}


def test_without_front_matter_title_from_heading_or_file(tmp_path: Path) -> None:
    a = write(tmp_path, "notes.md", "Setext title\n============\n\nText.\n")
    b = write(tmp_path, "plain-notes.md", "Just text, no heading.\n")
    post_a, post_b = read_post(a), read_post(b)
    assert post_a.title == "Setext title" and "Setext" not in post_a.body
    assert post_b.title == "Plain notes"
    assert post_b.date == dt.datetime.fromtimestamp(b.stat().st_mtime, dt.UTC)
    assert post_a.front_matter == {} and post_a.slug == "notes"


def test_unparseable_date_is_a_warning_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "p.md", "---\ntitle: T\ndate: next tuesday\n---\nx\n")
    post = read_post(path)
    assert post.date == dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    [notice] = post.notices
    assert notice.kind == "warning" and notice.line == 3 and "next tuesday" in notice.message


# Round trips ---------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1))
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
front_matters = st.dictionaries(st.text(min_size=1, max_size=20), values, max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fm=front_matters, body=st.text(max_size=200))
def test_any_front_matter_round_trips_and_unknown_fields_are_kept(
    fm: dict[str, Any], body: str
) -> None:
    text = dump_post(fm, "\n" + body)
    post = parse_post(text, Path("/posts/x.md"), mtime=0, fix_mojibake=False)
    assert post.front_matter == fm
    if fm:
        assert post.body == "\n" + body


@settings(max_examples=100, deadline=None)
@given(
    extra=st.dictionaries(
        st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,15}", fullmatch=True), values, max_size=5
    )
)
def test_known_fields_are_read_whatever_else_is_there(extra: dict[str, Any]) -> None:
    known = {"title": "Known", "tags": ["x", "y"], "slug": "known-slug"}
    fm = {**{k: v for k, v in extra.items() if k not in FIELD_NAMES}, **known}
    post = parse_post(dump_post(fm, "body\n"), Path("/p/a.md"), mtime=0)
    assert (post.title, post.tags, post.slug) == ("Known", ("x", "y"), "known-slug")
    # unknown fields are kept; a mojibake repair (ftfy is on here) never happens silently
    assert post.front_matter == fm or any(n.kind == "repaired" for n in post.notices)


FIELD_NAMES = {
    name
    for names in __import__(
        "trackrecord.portfolio.frontmatter", fromlist=["FIELDS"]
    ).FIELDS.values()
    for name in names
} | {"slug", "draft", "published", "project"}


# Broken files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: ok\ntags: [a, b\n---\nx\n", 3, "not valid YAML"),
        ("---\ntitle: ok\n  bad: indent\n---\n", 3, "not valid YAML"),
        ("---\n- a list\n---\nbody\n", 2, "not a mapping"),
        ("---\ntitle: never closed\n", 1, "never closed"),
        ('+++\ntitle = "x\n+++\n', 2, "not valid TOML"),
    ],
)
def test_malformed_front_matter_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path, "broken.md", text)
    with pytest.raises(PostError) as caught:
        read_post(path)
    [problem] = caught.value.problems
    assert problem.file == str(path) and problem.line == line and words in problem.message


def test_unknown_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.md", b"---\ntitle: ok\n---\nfine\n" + b"caf\xe9 \xff\n")
    with pytest.raises(PostError) as caught:
        read_post(path)
    assert caught.value.problems[0].line == 5 and "UTF-8" in caught.value.problems[0].message


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "w.md", "---\ntitle: Wide – text\n---\nbody\n".encode("utf-16"))
    assert read_post(path).title == "Wide – text"


def test_a_broken_post_is_reported_and_the_rest_are_read(tmp_path: Path) -> None:
    write(tmp_path, "good.md", "# Good\n")
    write(tmp_path, "bad.md", "---\ntitle: [\n---\n")
    write(tmp_path, ".hidden/skip.md", "# Hidden\n")
    write(tmp_path, "bundle/index.md", "---\ntitle: Page bundle\n---\n")
    write(tmp_path, "other/good.md", "# Another good\n")
    found = read_posts(tmp_path)
    assert sorted(p.title for p in found.posts) == ["Another good", "Good", "Page bundle"]
    assert {p.slug for p in found.posts} == {"good", "good-2", "bundle"}
    [problem] = found.problems
    assert problem.kind == "error" and problem.file.endswith("bad.md") and problem.line == 2


# The shared posts ------------------------------------------------------------------------


def test_shared_post_mojibake_is_repaired_and_reported() -> None:
    post = read_post(shared_posts() / "from-kaggle-to-career.md")
    assert "â€“" not in post.body and "Deep Learning – it was" in post.body
    [notice] = [n for n in post.notices if n.kind == "repaired"]
    assert notice.line == 25 and "'â€“' -> '–'" in notice.message
    assert post.slug == "kaggle-career-ai-projects-propelled-journey"
    assert post.date == dt.datetime(2023, 7, 21, 1, 39, 35, 495000, tzinfo=dt.UTC)
    # empty fields are kept as written, and read as absent
    assert post.front_matter["featuredImage"] == "" and post.image is None
    assert post.front_matter["relatedPosts"] == [] and post.description == ""


def test_shared_post_keeps_its_colour_and_loses_scripts(tmp_path: Path) -> None:
    original = shared_posts() / "my-journey-learning-ml.md"
    post = read_post(original)
    assert post.tags == ("machine-learning", "ai", "kaggle", "learning")
    assert post.front_matter["relatedBooks"] == ["foundation", "sapiens"]  # unknown, kept
    assert post.description.startswith("Reflections") and post.draft is False
    out = render(post.body, source=post.path, copy=no_copy, first_line=post.body_line)
    assert '<span style="color:#e11d48">red highlight</span>' in out.html
    assert 'src="https://images.unsplash.com/photo-1519681393784' in out.html  # kept remote
    assert '<pre class="highlight"><code class="language-python">' in out.html
    assert '<span class="n">Conv2D</span>' in out.html
    assert out.notices == []
    # the same post with hostile HTML added (in a temporary copy, never in the project)
    hostile = original.read_text("utf-8") + (
        '\n<script>alert("x")</script>\n\n<img src="x.png" onerror="alert(1)">'
        ' <a href="javascript:alert(1)">link</a>'
        ' <span style="color:red; position:fixed" onclick="steal()">red</span>\n'
    )
    copy = write(tmp_path, "hostile.md", hostile)
    post = read_post(copy)
    out = render(post.body, source=post.path, copy=no_copy, first_line=post.body_line)
    for gone in ("<script", "alert(", "onerror", "onclick", "javascript:", "position"):
        assert gone not in out.html
    assert '<span style="color:red">red</span>' in out.html
    assert '<span style="color:#e11d48">red highlight</span>' in out.html
    kinds = sorted(n.message for n in out.notices)
    assert any("<script>" in k for k in kinds) and any("onerror" in k for k in kinds)
    assert all(n.kind == "sanitized" and n.line for n in out.notices)


def test_images_local_copied_missing_reported(tmp_path: Path) -> None:
    write(tmp_path, "img/plot.png", b"\x89PNG fake")
    write(tmp_path, "static/abs.png", b"\x89PNG fake")
    post = read_post(
        write(tmp_path, "p.md", "![a](img/plot.png) ![b](/abs.png)\n\n![c](nowhere.png)\n")
    )
    copied: list[Path] = []

    def copy(path: Path) -> str:
        copied.append(path)
        return f"../assets/images/{path.name}"

    out = render(post.body, source=post.path, copy=copy, roots=[tmp_path], first_line=1)
    assert [p.name for p in copied] == ["plot.png", "abs.png"]
    assert 'src="../assets/images/plot.png"' in out.html and "nowhere" not in out.html
    [notice] = out.notices
    assert notice.kind == "warning" and notice.line == 3 and "nowhere.png" in notice.message

"""The static site, the Atom feed, `post new`, `publish` and the blog exporters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from tests.conftest import regression_file
from trackrecord.bundle import Bundle
from trackrecord.cli import app
from trackrecord.ledger import InvalidLedger
from trackrecord.portfolio import ProjectExtra, SiteError, SiteInput, build_site, read_posts
from trackrecord.portfolio.charts import Point
from trackrecord.portfolio.exporters import export_blog
from trackrecord.portfolio.records import by_project, read_records

from .test_portfolio_support import SAMPLE, make_export, shared_posts

runner = CliRunner()
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def export() -> dict[str, Any]:
    return make_export(SAMPLE)


def posts_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "chart.png").write_bytes(b"\x89PNG not really")
    (folder / "toy-reg.md").write_text(
        "---\ntitle: How I got silver\ndate: 2026-01-02\nproject: toy-reg\n"
        "mood: proud\n---\nRidge did it. ![chart](img/chart.png)\n"
    )
    (folder / "draft.md").write_text("---\ntitle: Unfinished\ndraft: true\n---\nTODO\n")
    (folder / "broken.md").write_text("---\ntitle: [oops\n---\nbody\n")
    return folder


def extra() -> dict[str, ProjectExtra]:
    points = (Point(1, 3.4), Point(2, 2.1), Point(3, 2.6, practice=True))
    lines = {"baseline": 3.2, "reference": 2.2, "gold": 1.2}
    return {"toy-reg": ProjectExtra("toy-reg", "Toy regression", "rmse", False, points, lines)}


def build(tmp_path: Path, export: dict[str, Any]) -> tuple[Path, Any]:
    folder = posts_folder(tmp_path)
    found = read_posts(folder)
    data = SiteInput(export, found.posts, found.problems, folder, extra())
    out = tmp_path / "site"
    return out, build_site(out, data)


def test_the_site_has_every_page_and_reports_the_broken_post(
    tmp_path: Path, export: dict[str, Any]
) -> None:
    out, report = build(tmp_path, export)
    assert (report.projects, report.posts, report.drafts, report.records) == (2, 1, 1, 3)
    for name in ("index.html", "keys.html", "feed.xml", "trackrecord.json",
                 "projects/toy-reg.html", "projects/toy-cls.html", "posts/toy-reg.html",
                 "assets/style.css", "assets/verify.js", "assets/images/chart.png"):  # fmt: skip
        assert (out / name).is_file(), name
    assert not (out / "posts" / "draft.html").exists()
    assert json.loads((out / "trackrecord.json").read_text()) == export
    [error] = [n for n in report.notices if n.kind == "error"]
    assert error.file.endswith("broken.md") and error.line == 2

    index = (out / "index.html").read_text()
    assert "Ada Lovelace" in index and "1 gold" in index and "1 silver" in index
    assert index.count("data-record=") == 2  # one card per project, each verified
    page = (out / "projects" / "toy-reg.html").read_text()
    assert '<span data-claim="/credentialSubject/result/0/value">1.87</span>' in page
    assert "self-scored" in page and "Ridge did it." in page  # the write-up
    assert 'src="../assets/images/chart.png"' in page
    assert "<svg" in page and "practice (never counts)" in page  # the history plot
    keys = (out / "keys.html").read_text()
    kid = export["issuers"][next(iter(export["issuers"]))]["jwks"]["keys"][0]["kid"]
    assert kid in keys and "the learner's own key" in keys
    # every link is relative: the site works from file:// and under any path
    for html in out.rglob("*.html"):
        text = html.read_text()
        assert not re.search(r'(href|src)="/[^/]', text), html
        assert "<script>" not in text.replace('<script type="application/json"', "")


def test_the_feed_is_atom(tmp_path: Path, export: dict[str, Any]) -> None:
    out, _ = build(tmp_path, export)
    root = ET.parse(out / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = {e.findtext(f"{ATOM}title") for e in entries}
    assert "How I got silver" in titles and "Unfinished" not in titles
    assert len(entries) == 3  # one post (the draft is left out), two results
    for entry in entries:
        assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
        assert entry.find(f"{ATOM}link").get("href").endswith(".html")  # type: ignore[union-attr]


def test_rebuilding_replaces_our_site_and_refuses_other_folders(
    tmp_path: Path, export: dict[str, Any]
) -> None:
    out, _ = build(tmp_path, export)
    (out / "projects" / "stale.html").write_text("old")
    (out / "CNAME").write_text("me.example")  # the learner's own file stays
    build_site(out, SiteInput(export))
    assert not (out / "projects" / "stale.html").exists() and (out / "CNAME").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.tex").write_text("keep me")
    with pytest.raises(SiteError, match="not empty"):
        build_site(other, SiteInput(export))
    assert [p.name for p in other.iterdir()] == ["thesis.tex"]


def test_a_malformed_export_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(InvalidLedger):
        build_site(tmp_path / "out", SiteInput({"format": "trackrecord-ledger", "version": 1}))
    assert not (tmp_path / "out").exists()


def test_the_shared_posts_build_into_the_site(tmp_path: Path, export: dict[str, Any]) -> None:
    found = read_posts(shared_posts())
    report = build_site(tmp_path / "site", SiteInput(export, found.posts, found.problems))
    assert report.posts == 2
    page = (tmp_path / "site" / "posts" / "my-journey-learning-ml.html").read_text()
    assert '<span style="color:#e11d48">red highlight</span>' in page
    kaggle = tmp_path / "site" / "posts" / "kaggle-career-ai-projects-propelled-journey.html"
    assert "Deep Learning – it was" in kaggle.read_text() and "â€“" not in kaggle.read_text()
    kinds = {(n.kind, Path(n.file).name) for n in report.notices}
    assert ("repaired", "from-kaggle-to-career.md") in kinds
    assert ("warning", "from-kaggle-to-career.md") in kinds  # its /assets image is missing


# Blogs -----------------------------------------------------------------------------------


def blog(tmp_path: Path, fmt: str) -> Path:
    root = tmp_path / fmt
    root.mkdir()
    marker = {"hugo": "hugo.toml", "jekyll": "_config.yml", "nextjs": "package.json"}[fmt]
    (root / marker).write_text("")
    return root


@pytest.mark.parametrize(
    ("fmt", "post", "asset", "fields"),
    [
        ("hugo", "content/posts/toy-reg/index.md", "content/posts/toy-reg/history.svg",
         {"draft": False, "images": ["history.svg"]}),
        ("jekyll", "_posts/2026-01-02-toy-reg.md", "assets/trackrecord/toy-reg/history.svg",
         {"layout": "post", "image": "/assets/trackrecord/toy-reg/history.svg"}),
        ("nextjs", "posts/toy-reg.md", "public/assets/trackrecord/toy-reg/history.svg",
         {"published": True, "coverImage": "/assets/trackrecord/toy-reg/history.svg"}),
    ],
)  # fmt: skip
def test_blog_formats(
    tmp_path: Path, export: dict[str, Any], fmt: str, post: str, asset: str, fields: dict[str, Any]
) -> None:
    root = blog(tmp_path, fmt)
    folder = posts_folder(tmp_path)
    writeups = {p.project: p for p in read_posts(folder).posts if p.project}
    groups = by_project(read_records(export))
    report = export_blog(fmt, root, groups, writeups, extra(), roots=[folder])
    assert (root / post).is_file() and (root / asset).is_file()
    written = read_posts(root, [root / post]).posts[0]
    fm = written.front_matter
    assert written.title == "How I got silver" and fm["mood"] == "proud"  # the learner's
    assert {k: fm[k] for k in fields} == fields
    assert fm["trackrecord"]["origin"] == "self-scored" and fm["trackrecord"]["medal"] == "silver"
    assert fm["trackrecord"]["credential"].count(".") == 2
    assert "Ridge did it." in written.body and "chart.png" in written.body
    assert len([p for p in report.written if p.suffix == ".md"]) == 2
    # a second run replaces its own posts, and never the learner's own files
    mine = root / post
    mine.write_text("---\ntitle: my own\n---\nhands off\n")
    again = export_blog(fmt, root, groups, writeups, extra(), roots=[folder])
    assert mine.read_text().endswith("hands off\n")
    assert [n.kind for n in again.notices] == ["skipped"]


def test_a_folder_that_is_not_that_blog_is_refused(tmp_path: Path, export: dict[str, Any]) -> None:
    groups = by_project(read_records(export))
    with pytest.raises(SiteError, match="does not look like a hugo blog"):
        export_blog("hugo", tmp_path, groups, {}, {})
    with pytest.raises(SiteError, match="unknown format"):
        export_blog("wordpress", tmp_path, groups, {}, {})


# The CLI ---------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("cli_catalog")
def test_post_new_then_publish_from_the_own_ledger(
    home: Path, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    run("start", "toy-reg", "--dir", str(tmp_path / "ws"))
    for offset in (2.5, 1.5):
        regression_file(tmp_path / "ws" / "s.csv", bundles["toy-reg"], offset)
        assert run("submit", "toy-reg", str(tmp_path / "ws" / "s.csv"))[0] == 0
    assert run("finalize", "toy-reg", "--yes")[0] == 0

    code, out, err = run("post", "new", "toy-reg")
    assert code == 0, err
    draft = home / "posts" / "toy-reg.md"
    text = draft.read_text()
    for heading in ("## Results", "## 1. Read the brief", "## 2. Run the starter and experiment",
                    "## 3. Reproduce the reference score", "## 4. Apply it elsewhere"):  # fmt: skip
        assert heading in text
    assert "| Medal | silver |" in text and "draft: true" in text
    assert "![Score history" in text and (home / "posts" / "toy-reg-history.svg").is_file()
    code, _, err = run("post", "new", "toy-reg")
    assert code == 1 and "already exists" in err

    site = tmp_path / "site"
    code, out, err = run("publish", str(site))
    assert code == 0, err
    assert "1 draft(s) left out" in out and "every one verified" in out
    assert (site / "projects" / "toy-reg.html").is_file()
    draft.write_text(text.replace("draft: true", "draft: false"))
    code, out, err = run("publish", str(site), "--json")
    report = json.loads(out)
    assert report["posts"] == 1 and report["ledger_ok"] is True
    page = (site / "projects" / "toy-reg.html").read_text()
    assert "toy-reg-history.svg" in page and "1. Read the brief" in page


def test_feed_images_resolve_from_the_feed(tmp_path: Path, export: dict[str, Any]) -> None:
    out, _ = build(tmp_path, export)
    text = (out / "feed.xml").read_text()
    assert "assets/images/chart.png" in text and "../assets/" not in text

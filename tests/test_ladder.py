"""The ladder: families read off each project, prerequisite edges of every kind, the
catalog page's picture (a node per project in its level's column, an edge per prerequisite,
medals on nodes) and the CLI's list grouped by level with what is recommended next."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

from typer.testing import CliRunner

from trackrecord.bundle import Bundle
from trackrecord.catalog import list_projects
from trackrecord.catalog.families import FAMILIES, family
from trackrecord.catalog.path import LearningPath, PathMark, parse_path
from trackrecord.service import Service
from trackrecord.service.ladder import build_ladder, edges_of
from trackrecord.service.path import PathEntry
from trackrecord.service.projects import info_from_meta
from trackrecord.service.types import Progress
from trackrecord.settings import Settings
from trackrecord.web.ladder import COLUMN_W, NODE_W, picture

from .conftest import FakeCatalog, regression_file
from .test_web_support import client_for

PATH = """version = 1
[concrete]
requires = ["diamonds"]
[default]
requires = [{ any = ["titanic", "spam7"] }]
[telco-churn]
requires = [{ skill = "categorical-encoding", level = 1 }]
"""


def _entries(medals: dict[str, str] | None = None) -> list[PathEntry]:
    medals = medals or {}
    out = []
    for meta in list_projects():
        progress = (
            Progress("finalized", medal=medals[meta.id])  # type: ignore[arg-type]
            if meta.id in medals
            else Progress("not_started")
        )
        out.append(PathEntry(info_from_meta(meta), progress, PathMark("recommended", "")))
    return out


def test_every_builtin_project_has_a_known_family() -> None:
    for meta in list_projects():
        assert family(meta) in FAMILIES and family(meta) != "other", meta.id
    by_id = {m.id: family(m) for m in list_projects()}
    assert by_id["titanic"] == "classification" and by_id["diamonds"] == "regression"
    assert by_id["doctor-visits"] == "count and ordinal"  # Poisson deviance: a count target


def test_edges_follow_each_kind_of_prerequisite() -> None:
    entries = _entries()
    known = {e.project.id for e in entries}
    path = parse_path(PATH, "test-path.toml", known)
    edges = {(e.source, e.target): e.kind for e in edges_of(path, entries)}
    assert edges[("diamonds", "concrete")] == "requires"
    assert edges[("titanic", "default")] == edges[("spam7", "default")] == "any"
    teaches = {
        e.project.id
        for e in entries
        if e.project.level == 1 and "categorical-encoding" in e.project.skills
    }
    assert teaches and {s for (s, t) in edges if t == "telco-churn"} == teaches
    assert all(edges[(s, "telco-churn")] == "skill" for s in teaches)
    assert len(edges) == 1 + 2 + len(teaches)


def test_the_picture_puts_levels_in_columns_and_keeps_edges_between_nodes() -> None:
    entries = _entries({"titanic": "silver"})
    known = {e.project.id for e in entries}
    lad = build_ladder(parse_path(PATH, "test-path.toml", known), entries)
    pic = picture(lad)
    assert len(pic.nodes) == len(entries)
    x_of_level = dict(pic.levels)
    for n in pic.nodes:
        assert n.x == x_of_level[n.node.level]
    # no two nodes overlap in a column
    for level in x_of_level:
        ys = sorted(n.y for n in pic.nodes if n.node.level == level)
        assert all(b - a >= 24 for a, b in pairwise(ys))
    assert pic.width >= len(x_of_level) * COLUMN_W and pic.width > NODE_W
    assert len(pic.edges) == len(lad.edges)
    titanic = next(n for n in lad.nodes if n.id == "titanic")
    assert titanic.medal == "silver"


class PathCatalog(FakeCatalog):
    def learning_path(self) -> LearningPath:
        text = 'version = 1\n[toy-cls]\nrequires = ["toy-reg"]\n'
        return parse_path(text, "toy-path.toml", set(self.bundles))


def _node(html: str, project_id: str) -> str:
    found = re.search(rf'<a href="/projects/{project_id}" class="node ([^"]*)"', html)
    assert found, project_id
    return found.group(1)


def test_the_catalog_page_draws_the_ladder_with_medals(
    settings: Settings, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    catalog = PathCatalog(list(bundles.values()))
    with client_for(settings, catalog) as client:
        page = client.get("/").text
        assert "<svg" in page and "The ladder" in page
        assert "status-recommended" in _node(page, "toy-reg")
        assert "status-not_yet" in _node(page, "toy-cls")
        assert page.count('data-from="toy-reg" data-to="toy-cls"') == 1
        with Service(settings, catalog=catalog) as svc:
            user = svc.local_user_id()
            svc.submit(
                user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], 2.5)
            )
            svc.finalize(user, "toy-reg")
        page = client.get("/").text
        assert "medal-bronze" in _node(page, "toy-reg") and "status-done" in _node(page, "toy-reg")
        assert "status-recommended" in _node(page, "toy-cls")
        # a filter narrows the cards, never the ladder
        filtered = client.get("/?task=binary-classification").text
        assert 'href="/projects/toy-reg">' not in filtered and _node(filtered, "toy-reg")


def test_the_cli_groups_by_level_and_says_what_is_next(cli_catalog: None) -> None:
    from trackrecord.cli import app

    out = CliRunner().invoke(app, ["catalog"])
    assert out.exit_code == 0, out.output
    text = out.stdout
    assert "Level 1" in text and "Recommended next" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("toy-reg ("))
    assert "no prerequisites" in line

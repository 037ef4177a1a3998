"""The learning path on the command line and in the service: `catalog` (a status column, the
reason, --json fields, 80 columns), `start` on a project not recommended yet (says why, goes
ahead), and `next` (only recommended projects)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.conftest import FakeCatalog, regression_file
from trackrecord.bundle import Bundle
from trackrecord.catalog import list_projects
from trackrecord.catalog.path import LearningPath, builtin_path, marks, parse_path
from trackrecord.cli import app, learner
from trackrecord.cli.catalog_cli import catalog_table
from trackrecord.cli.common import settings_from
from trackrecord.service import Service
from trackrecord.service.path import PathEntry, path_catalog, recommended_ids, start_note
from trackrecord.service.projects import info_from_meta
from trackrecord.service.types import Progress

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_catalog")

TOY_PATH = """version = 1
[toy-cls]
requires = ["toy-reg"]
"""


class PathCatalog(FakeCatalog):
    """The toy catalog with a learning path: toy-cls comes after a medal on toy-reg."""

    def learning_path(self) -> LearningPath:
        return parse_path(TOY_PATH, "toy-path.toml", set(self.bundles))


@pytest.fixture
def catalog(bundles: dict[str, Bundle]) -> FakeCatalog:  # replaces conftest's toy catalog
    return PathCatalog(list(bundles.values()))


def _svc() -> Service:
    return learner.open_service(settings_from(None))


def _bronze_on_toy_reg(bundles: dict[str, Bundle], tmp_path: Path) -> None:
    with _svc() as svc:
        user = svc.local_user_id()
        path = regression_file(tmp_path / "bronze.csv", bundles["toy-reg"], 2.5)
        svc.submit(user, "toy-reg", path)
        assert svc.finalize(user, "toy-reg").medal == "bronze"


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_catalog_json_and_text_show_the_status_and_the_reason(
    bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    entries = _json("catalog")
    by_id = {e["project"]["id"]: e["path"] for e in entries}
    assert by_id["toy-reg"]["status"] == "recommended"
    assert by_id["toy-cls"] == {
        "status": "not_yet",
        "reason": "needs a medal on toy-reg",
        "missing": ["a medal on toy-reg"],
        "after": [],
    }
    text = runner.invoke(app, ["catalog"]).stdout
    assert "recommended" in text and "not yet" in text and "needs a medal on toy-reg" in text
    assert "1 recommended, 1 not yet, 0 done" in text

    # a filter hides projects, never the medals that meet prerequisites
    _bronze_on_toy_reg(bundles, tmp_path)
    only_cls = _json("catalog", "--task", "binary-classification")
    assert [e["path"]["status"] for e in only_cls] == ["recommended"]
    assert only_cls[0]["path"]["after"] == ["toy-reg"]
    text = runner.invoke(app, ["catalog"]).stdout
    assert "✓ done" in text and "bronze, private 2.5" in text


def test_start_on_a_project_not_yet_recommended_says_why_and_writes_the_workspace(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["start", "toy-cls", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert "toy-cls is not recommended yet: it needs a medal on toy-reg" in result.stderr
    assert "Starting it anyway" in result.stderr
    assert (ws / "README.md").is_file() and (ws / "data" / "test.csv").is_file()
    assert "wrote" in result.stdout
    with _svc() as svc:  # enrolled like any other start
        states = {e.project.id: e.progress.state for e in svc.list_catalog(svc.local_user_id())}
    assert states["toy-cls"] == "started"

    quiet = runner.invoke(app, ["start", "toy-reg", "--dir", str(tmp_path / "ws2"), "--json"])
    assert quiet.exit_code == 0 and "not recommended" not in quiet.stderr
    assert json.loads(quiet.stdout)["project"]["id"] == "toy-reg"


def test_next_proposes_only_what_the_path_recommends(
    bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    before = _json("next")
    assert [r["project_id"] for r in before["recommendations"]] == ["toy-reg"]
    _bronze_on_toy_reg(bundles, tmp_path)
    after = _json("next")
    recs = after["recommendations"]
    assert [r["project_id"] for r in recs] == ["toy-cls"]  # toy-reg is done
    assert "apply_elsewhere" in recs[0]["kinds"]  # the sibling ordering is kept
    with _svc() as svc:
        assert recommended_ids(svc, svc.local_user_id()) == {"toy-cls"}
        assert start_note(svc, svc.local_user_id(), "toy-cls") is None
        assert start_note(svc, svc.local_user_id(), "no-such-project") is None


def test_next_says_where_to_look_when_nothing_is_recommended(
    bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    _bronze_on_toy_reg(bundles, tmp_path)
    answers = tmp_path / "cls.csv"
    answers.write_text(
        "id,y\n" + "".join(f"{1000 + i},{'yes' if i % 2 else 'no'}\n" for i in range(20))
    )
    with _svc() as svc:
        user = svc.local_user_id()
        svc.submit(user, "toy-cls", answers)
        svc.finalize(user, "toy-cls")
        entries = path_catalog(svc, user)
    assert {e.project.id: e.path.status for e in entries} == {"toy-reg": "done", "toy-cls": "done"}
    result = runner.invoke(app, ["next"])
    assert result.exit_code == 0
    assert "Nothing to recommend" in result.stdout and "trackrecord catalog" in result.stdout


# 80 columns, on the real catalog --------------------------------------------------------


def _real_entries() -> list[PathEntry]:
    projects = [info_from_meta(m) for m in list_projects()]
    ids = [p.id for p in projects]
    finalized = {ids[0]: "bronze", ids[1]: None}
    progress = {
        ids[0]: Progress("finalized", 3, 0.812345, "bronze", 0.798765),
        ids[1]: Progress("finalized", 1, 0.5, None, 0.49),
        ids[2]: Progress("started", 12, 1234.56789),
    }
    status = marks(builtin_path(), projects, finalized)
    return [PathEntry(p, progress.get(p.id, Progress("new")), status[p.id]) for p in projects]


def _cells(lines: list[str], ids: list[str]) -> dict[str, str]:
    """Each row's project cell, its wrapped lines joined by spaces (header: "project")."""
    start = lines[0].index("project")
    end = lines[0].index("path")
    rows: dict[str, list[str]] = {}
    current = None
    for line in lines[1:]:
        words = line[:start].split()
        if words[:1] == ["Level"]:  # a level's heading row: the families it holds
            current = None
            continue
        if len(words) == 2 and words[1] in ids:
            current = words[1]
            rows[current] = []
        if current is None:
            continue
        rows[current].append(line[start:end].strip())
    return {pid: " ".join(parts) for pid, parts in rows.items()}


def test_the_catalog_table_fits_80_columns_with_whole_titles() -> None:
    entries = _real_entries()
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(catalog_table(entries))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in "\n".join(lines)
    cells = _cells(lines, [e.project.id for e in entries])
    for e in entries:  # the title whole (wrapped between words at most), then the detail
        assert cells[e.project.id].startswith(e.project.title), (e.project.title, cells)
        if e.path.status == "not_yet":
            assert cells[e.project.id].endswith(e.path.reason)
    assert sum("not yet" in line for line in lines) == sum(
        e.path.status == "not_yet" for e in entries
    )
    # the title column is what the level, the longest id and the path column leave of 80
    room = 80 - (4 + max(len(e.project.id) for e in entries)) - 13
    short = [e for e in entries if len(e.project.title) <= room]
    assert len(short) >= 0.7 * len(entries)  # most titles fit on their id's line
    for e in short:
        row = next(line for line in lines if line[:30].split()[1:2] == [e.project.id])
        assert e.project.title in row


def test_the_catalog_command_fits_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learner, "open_service", lambda settings: Service(settings))
    result = runner.invoke(app, ["catalog"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    at = next(i for i, line in enumerate(out) if " recommended, " in line)
    lines, summary = out[:at], out[at]
    assert max(len(line) for line in lines) <= 80
    assert "Recommended next" in result.stdout
    metas = list_projects()
    first = sum(m.level == 1 for m in metas)  # a new learner: level 1 is where the path starts
    assert summary.startswith(f"{first} recommended, {len(metas) - first} not yet, 0 done.")
    cells = _cells(lines, [m.id for m in metas])
    for meta in metas:
        assert cells[meta.id].startswith(meta.title), meta.id

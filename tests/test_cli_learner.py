"""The learner's commands through the CLI runner, in a temporary home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FakeCatalog, regression_file
from trackrecord.bundle import Bundle
from trackrecord.cli import app

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("cli_catalog")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> object:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_whole_loop_end_to_end(home: Path, bundles: dict[str, Bundle], tmp_path: Path) -> None:
    catalog = run_json("catalog")
    assert [e["project"]["id"] for e in catalog] == ["toy-reg", "toy-cls"]  # type: ignore[index]

    code, out, _ = run("start", "toy-reg", "--dir", str(tmp_path / "ws"))
    assert code == 0 and "README.md" in out
    assert (tmp_path / "ws" / "data" / "test.csv").is_file()

    bad = tmp_path / "ws" / "bad.csv"
    bad.write_text("id,y\n1000,1.0\n1001,oops\n")
    code, out, err = run("submit", "toy-reg", str(bad))
    assert code == 1 and "bad.csv" in err and "line 3" in err
    assert "does not count" in err

    good = regression_file(tmp_path / "ws" / "submission.csv", bundles["toy-reg"], 1.5)
    result = run_json("submit", "toy-reg", str(good))
    assert result["public_score"] == pytest.approx(1.5)  # type: ignore[index]
    assert result["left_today"] == 4  # type: ignore[index]  # the invalid one did not count

    subs = run_json("submissions", "toy-reg")
    assert [s["status"] for s in subs] == ["invalid", "scored"]  # type: ignore[union-attr, index]
    assert all(s["private_score"] is None for s in subs)  # type: ignore[union-attr, index]

    final = run_json("finalize", "toy-reg", "--yes")
    assert final["medal"] == "silver" and final["private_score"] == pytest.approx(1.5)  # type: ignore[index]
    code, _, err = run("finalize", "toy-reg", "--yes")
    assert code == 1 and "already finalized" in err

    status = run_json("status")
    assert status["finalized"] == 1 and status["medals"]["silver"] == 1  # type: ignore[index]
    assert status["streak_days"] == 1  # type: ignore[index]
    assert (home / "trackrecord.db").is_file() and any((home / "blobs").rglob("*"))


def test_text_output_of_submit_and_status(bundles: dict[str, Bundle], tmp_path: Path) -> None:
    path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 2.5)
    code, out, _ = run("submit", "toy-reg", str(path))
    out = " ".join(out.split())  # the table wraps long values
    assert code == 0
    for expected in ("Public score", "2.5", "Best so far", "2nd of 4", "bronze reached",
                     "silver needs 2.2 or lower", "public score vs the public lines",
                     "public split", "4 of 5"):  # fmt: skip
        assert expected in out
    code, out, _ = run("status")
    assert code == 0 and "toy-reg" in out and "Streak" in out
    code, out, _ = run("submissions", "toy-reg")
    assert code == 0 and "s.csv" in out


def test_catalog_filters_and_build_progress(cli_catalog: FakeCatalog) -> None:
    assert [e["project"]["id"] for e in run_json("catalog", "--task", "regression")] == ["toy-reg"]  # type: ignore[index, union-attr]
    assert run_json("catalog", "--skill", "nope") == []
    code, out, _ = run("catalog", "--level", "1")
    assert code == 0 and "toy-cls" in out
    code, out, _ = run("catalog", "build")
    assert code == 0 and "2 project(s) ready" in out
    assert cli_catalog.built == ["toy-reg", "toy-cls"]
    code, out, _ = run("catalog", "build", "toy-cls")
    assert code == 0 and cli_catalog.built[-1] == "toy-cls"


def test_finalize_with_picks(bundles: dict[str, Bundle], tmp_path: Path) -> None:
    for offset in (1.5, 0.5):
        run_json(
            "submit",
            "toy-reg",
            str(regression_file(tmp_path / "s.csv", bundles["toy-reg"], offset)),
        )
    final = run_json("finalize", "toy-reg", "--pick", "1", "--yes")
    assert [p["number"] for p in final["picks"]] == [1] and final["medal"] == "silver"  # type: ignore[index]


def test_user_errors_exit_1_with_a_message(tmp_path: Path) -> None:
    code, _, err = run("start", "nope")
    assert code == 1 and "no project 'nope'" in err
    code, _, err = run("submit", "toy-reg", str(tmp_path / "missing.csv"))
    assert code == 1 and "missing.csv" in err and "history" not in err
    code, _, err = run("finalize", "toy-reg", "--yes")
    assert code == 1 and "nothing to finalize" in err
    assert run("catalog", "--level", "9")[0] == 2


def test_db_upgrade(home: Path) -> None:
    from trackrecord.store.migrate import head_revision

    code, out, _ = run("db", "upgrade")
    assert code == 0 and f"revision {head_revision()}" in out
    assert (home / "trackrecord.db").is_file()


def test_help_lists_the_learner_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for name in ("catalog", "start", "submit", "submissions", "finalize", "status", "db"):
        assert name in out
    code, out, _ = run("catalog", "--help")
    assert code == 0 and "build" in out and "--task" in out

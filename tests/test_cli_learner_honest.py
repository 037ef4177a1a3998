"""The learner's commands never mislead: public estimates say so, finalize asks first,
practice after it is labelled, the reveal comes after it (text and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import regression_file
from trackrecord.bundle import Bundle
from trackrecord.cli import app, learner

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_catalog")

# toy-reg (rmse): private lines 3 / 2 / 1, public lines 3.2 / 2.2 / 1.2.


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Exit code, stdout and stderr, with whitespace runs (table wrapping) made one space."""
    result = runner.invoke(app, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, " ".join(result.stdout.split()), " ".join(result.stderr.split())


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _submit(bundle: Bundle, tmp_path: Path, offset: float, name: str) -> None:
    code, _, err = run("submit", "toy-reg", str(regression_file(tmp_path / name, bundle, offset)))
    assert code == 0, err


@pytest.fixture
def reg(bundles: dict[str, Bundle]) -> Bundle:
    return bundles["toy-reg"]


def test_the_estimate_is_public_and_says_so(reg: Bundle, tmp_path: Path) -> None:
    # 1.1 clears the public gold line (1.2) but not the private one (1.0)
    path = regression_file(tmp_path / "g.csv", reg, 1.1)
    code, out, _ = run("submit", "toy-reg", str(path))
    assert code == 0 and "gold reached (public score vs the public lines" in out
    assert "public split" in out
    answer = run_json("submit", "toy-reg", str(path))
    assert answer["medal_progress"]["split"] == "public"
    assert answer["medal_progress"]["gold"] == pytest.approx(1.2)
    assert answer["submission"]["number"] == 2 and answer["practice"] is False
    code, out, _ = run("status", "toy-reg")
    assert "bronze below 3.2, silver 2.2 or lower, gold below 1.2" in out
    assert "Private lines shown once you finalize" in out and "below 3," not in out


def test_finalize_refuses_without_a_terminal_or_yes(reg: Bundle, tmp_path: Path) -> None:
    _submit(reg, tmp_path, 1.5, "a.csv")
    code, _, err = run("finalize", "toy-reg")
    assert code == 1 and "run `trackrecord finalize toy-reg --yes`" in err
    code, out, _ = run("finalize", "toy-reg", "--dry-run")
    assert code == 0 and "Would judge #1 (public 1.5)" in out and "best public" in out
    preview = run_json("finalize", "toy-reg", "--dry-run")
    assert [p["number"] for p in preview["picks"]] == [1] and "rule" in preview
    assert run_json("status")["finalized"] == 0


def test_finalize_asks_and_a_no_changes_nothing(
    reg: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learner, "interactive", lambda: True)
    _submit(reg, tmp_path, 2.5, "a.csv")
    _submit(reg, tmp_path, 1.5, "b.csv")
    code, out, err = run("finalize", "toy-reg", "--pick", "1", stdin="n\n")
    assert code == 0 and "Would judge #1 (public 2.5)" in out and "you picked" in out
    assert "Not finalized" in err and run_json("status")["finalized"] == 0
    code, out, _ = run("finalize", "toy-reg", stdin="y\n")
    assert code == 0 and "Finalized toy-reg" in out and "Counted #2" in out
    assert "Medal silver (private score vs the private lines)" in out
    assert "Private lines bronze below 3, silver 2 or lower, gold below 1" in out
    assert "1st of 1 who finalized" in out and "private split" in out
    assert "this project ships none" in out


def test_practice_after_finalizing_is_labelled_everywhere(reg: Bundle, tmp_path: Path) -> None:
    _submit(reg, tmp_path, 2.5, "a.csv")
    run_json("finalize", "toy-reg", "--yes")
    gold = regression_file(tmp_path / "p.csv", reg, 0.5)
    code, out, _ = run("submit", "toy-reg", str(gold))
    assert code == 0 and "Scored p.csv as practice" in out and "#2 (p.csv, practice)" in out
    assert "reached" not in out and "never changes your medal" in out
    answer = run_json("submit", "toy-reg", str(gold))
    assert answer["practice"] is True and answer["finalized_medal"] == "bronze"
    assert answer["submission"]["practice"] is True
    subs = run_json("submissions", "toy-reg")
    assert [(s["number"], s["practice"]) for s in subs] == [(1, False), (2, True), (3, True)]  # type: ignore[index]
    code, out, _ = run("submissions", "toy-reg")
    assert "scored (practice)" in out
    status = run_json("status")
    assert status["medals"]["bronze"] == 1 and status["medals"]["gold"] == 0
    [project] = status["projects"]
    assert project["practice"] == 2 and project["best_public"] == pytest.approx(2.5)
    code, out, _ = run("status")
    assert "1 (+2 practice)" in out


def test_the_reference_code_after_finalizing(reg: Bundle, tmp_path: Path) -> None:
    (reg.root / "private" / "reference.py").write_text("print('reference pipeline')\n")
    _submit(reg, tmp_path, 1.5, "a.csv")
    code, _, err = run("status", "toy-reg", "--code")
    assert code == 1 and "appear after `trackrecord finalize toy-reg`" in err
    code, out, _ = run("finalize", "toy-reg", "--yes")
    assert "Reference pipeline of toy-reg" in out and "print('reference pipeline')" in out
    result = runner.invoke(app, ["status", "toy-reg", "--code"])
    assert result.exit_code == 0 and result.stdout == "print('reference pipeline')\n"
    report = run_json("status", "toy-reg")
    assert report["state"] == "finalized"
    assert report["result"]["reference_code"] == "print('reference pipeline')\n"
    assert report["result"]["thresholds"] == {"baseline": 3.0, "reference": 2.0, "gold": 1.0}
    assert report["result"]["learners"] == {"rank": 1, "total": 1}
    assert report["result"]["field_place"]["split"] == "private"


def test_invalid_reasons_numbers_typos_and_totals(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,y\n1000,1.0\n1001,oops\n")
    assert run("submit", "toy-reg", str(bad))[0] == 1
    code, out, _ = run("submissions", "toy-reg")
    assert code == 0 and "#1 invalid: bad.csv, line 3, column 'y': 'oops' is not a number" in out
    [view] = run_json("submissions", "toy-reg")  # type: ignore[misc]
    assert view["number"] == 1 and any("line 3" in p for p in view["problems"])
    code, _, err = run("submissions", "toy-rg")
    assert code == 1 and "no project 'toy-rg'; did you mean 'toy-reg'?" in err
    code, out, _ = run("status")
    assert "Projects started 1 of 2" in out
    assert run_json("status")["total_projects"] == 2
    assert run("status", "--code")[0] == 2

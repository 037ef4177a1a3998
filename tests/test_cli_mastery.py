"""`next`, the skill table of `status`, and `mastery fit`, through the CLI on real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import regression_file
from trackrecord.bundle import Bundle
from trackrecord.cli import app

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("cli_catalog")


def invoke_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_next_before_any_attempt_follows_the_catalog(bundles: dict[str, Bundle]) -> None:
    report = invoke_json("next")
    assert report["skills"] == [] and report["just_finished"] is None
    assert {r["project_id"] for r in report["recommendations"]} <= {"toy-reg", "toy-cls"}
    assert all(0 <= r["p_silver"] <= 1 and r["reason"] for r in report["recommendations"])


def test_finishing_a_project_recommends_its_sibling_and_shows_skills(
    bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    good = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 2.5)  # bronze, not silver
    assert runner.invoke(app, ["submit", "toy-reg", str(good)]).exit_code == 0
    assert runner.invoke(app, ["finalize", "toy-reg", "--yes"]).exit_code == 0
    report = invoke_json("next")
    assert report["just_finished"] == "toy-reg"
    first = report["recommendations"][0]
    assert first["project_id"] == "toy-cls" and "apply_elsewhere" in first["kinds"]
    assert "toy-reg" in first["reason"]
    practiced = {s["skill"] for s in report["skills"]}
    assert practiced == set(bundles["toy-reg"].challenge.skills)
    for s in report["skills"]:
        # one piece of evidence per project: the finalized result replaces the public one
        assert s["low"] <= s["mean"] <= s["high"] and s["n_attempts"] == 1

    status = invoke_json("status")
    assert {s["skill"] for s in status["skills"]} == practiced
    text = runner.invoke(app, ["status"]).stdout
    assert "90% interval" in text and "±" in text
    nxt = runner.invoke(app, ["next"]).stdout
    assert "chance of silver" in nxt and "toy-cls" in nxt


def test_mastery_fit_writes_a_model_that_next_then_reads(
    home: Path, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    good = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.5)
    assert runner.invoke(app, ["submit", "toy-reg", str(good)]).exit_code == 0
    fitted = invoke_json("mastery", "fit")
    assert fitted["attempts"] == 1 and fitted["learners"] == 1 and fitted["items"] == 2
    stored = json.loads((home / "mastery.json").read_text())
    assert {item[0] for item in stored["items"]} >= {"toy-reg", "toy-cls"}
    assert "learners" not in stored  # population parameters only, no learner state
    assert invoke_json("next")["recommendations"]
    (home / "mastery.json").write_text("{not json")
    broken = runner.invoke(app, ["next"])
    assert broken.exit_code == 1 and "mastery fit" in broken.stderr.replace("\n", " ")

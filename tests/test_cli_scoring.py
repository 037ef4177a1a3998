"""The stateless commands through the real CLI runner: output, JSON keys, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from tests.factories import binary_bundle
from trackrecord.cli import AREAS, COMMANDS, build_app

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    return build_app()


@pytest.fixture
def bundle(tmp_path: Path):
    return binary_bundle(tmp_path / "b")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACKRECORD_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def submission(bundle, tmp_path: Path) -> Path:
    sample = pd.read_csv(bundle.root / "public/sample_submission.csv")
    sample["y"] = [(i % 10) / 10 for i in range(len(sample))]
    path = tmp_path / "sub.csv"
    sample.to_csv(path, index=False)
    return path


def test_score_json_has_the_contract_keys(app, bundle, tmp_path):
    result = runner.invoke(
        app, ["score", str(bundle.root), str(submission(bundle, tmp_path)), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"metric", "public", "private", "rows"}
    assert data["metric"] == "roc_auc" and data["rows"] == 200
    assert 0 <= data["public"] <= 1 and 0 <= data["private"] <= 1


def test_score_imports_only_what_it_needs(bundle, tmp_path, home):
    """Start-up is a fixed cost of every `trackrecord score`: pandas alone adds ~0.15 s,
    pyarrow.compute and pyarrow.parquet ~35 ms, which a warm run in id order never needs."""
    heavy = ("pandas", "sklearn", "scipy", "pyarrow.compute", "pyarrow.parquet")
    code = (
        "import sys; from trackrecord.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    args = ["score", str(bundle.root), str(submission(bundle, tmp_path)), "--json"]
    imported = []
    for _ in ("cold: parses the answer key", "warm: memory-maps its cache"):
        out = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
        ).stdout
        assert json.loads(out[: out.rindex("}") + 1])["rows"] == 200
        imported.append(out[out.rindex("}") + 1 :].strip())
    cold, warm = imported
    assert "pandas" not in cold and "sklearn" not in cold, cold
    assert warm == "[]", warm


def test_score_text_output(app, bundle, tmp_path):
    result = runner.invoke(app, ["score", str(bundle.root), str(submission(bundle, tmp_path))])
    assert result.exit_code == 0
    assert "public" in result.stdout and "private" in result.stdout and "roc_auc" in result.stdout


def test_score_invalid_file_exits_1_with_the_problems(app, bundle, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,y\n1000,abc\n")
    result = runner.invoke(app, ["score", str(bundle.root), str(bad)])
    assert result.exit_code == 1
    assert "line 2, column 'y': 'abc' is not a number" in result.stderr


def test_score_missing_argument_is_a_usage_error(app):
    assert runner.invoke(app, ["score"]).exit_code == 2


def test_check_clean_and_broken(app, bundle):
    ok = runner.invoke(app, ["challenge", "check", str(bundle.root)])
    assert ok.exit_code == 0 and "valid bundle" in ok.stdout
    (bundle.root / "public/test.csv").unlink()
    broken = runner.invoke(app, ["challenge", "check", str(bundle.root), "--json"])
    assert broken.exit_code == 1
    problems = json.loads(broken.stdout)["problems"]
    assert {
        "message": "required file is missing",
        "file": "public/test.csv",
        "line": None,
        "column": None,
    } in problems


def test_pack_then_check_the_zip(app, bundle, tmp_path):
    out = tmp_path / "packed.zip"
    assert (
        runner.invoke(app, ["challenge", "pack", str(bundle.root), "--out", str(out)]).exit_code
        == 0
    )
    assert runner.invoke(app, ["challenge", "check", str(out)]).exit_code == 0


def test_import_kaggle_refuses_a_non_empty_destination(app, bundle, tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    result = runner.invoke(
        app,
        [
            "challenge",
            "import",
            "kaggle",
            str(bundle.root / "public"),
            "--metric",
            "roc_auc",
            "--out",
            str(dest),
        ],
    )
    assert result.exit_code == 1 and "already exists and is not empty" in result.stderr
    assert (dest / "keep.txt").read_text() == "mine"


def test_metrics_lists_the_registry(app):
    data = json.loads(runner.invoke(app, ["metrics", "--json"]).stdout)
    names = {m["name"] for m in data}
    assert {"roc_auc", "rmse", "log_loss", "concordance_index"} <= names


def test_command_table_matches_the_registrations():
    for area in AREAS:
        app = build_app((area,))
        registered = {c.name or c.callback.__name__ for c in app.registered_commands}
        registered |= {g.name for g in app.registered_groups}
        declared = {cmd for cmd, owner in COMMANDS.items() if owner == area}
        assert registered == declared, f"area {area}: COMMANDS is out of step"

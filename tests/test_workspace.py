"""The workspace `start` writes: public data, README, starter; never the answer key."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tests.conftest import SECRET_BASE, Spec, write_toy_bundle
from trackrecord.bundle import Bundle, Thresholds
from trackrecord.service import ProjectInfo
from trackrecord.service.projects import info_from_meta
from trackrecord.workspace import readme, write_workspace


def _info(bundle: Bundle) -> ProjectInfo:
    from tests.conftest import FakeCatalog

    return info_from_meta(FakeCatalog([bundle]).get_project(bundle.challenge.id))


@pytest.fixture
def reg(bundles: dict[str, Bundle]) -> Bundle:
    return bundles["toy-reg"]


def test_workspace_has_the_data_readme_and_starter(reg: Bundle, tmp_path: Path) -> None:
    written, kept = write_workspace(reg, tmp_path / "ws", _info(reg))
    assert set(written) == {
        "data/train.csv", "data/test.csv", "data/sample_submission.csv", "README.md",
        "starter.ipynb",
    }  # fmt: skip
    assert kept == []
    for name in ("train.csv", "test.csv", "sample_submission.csv"):
        assert (tmp_path / "ws" / "data" / name).read_bytes() == (
            reg.public_dir / name
        ).read_bytes()
    nbformat.validate(nbformat.read(tmp_path / "ws" / "starter.ipynb", as_version=4))


def test_no_workspace_file_contains_any_answer_key_value(reg: Bundle, tmp_path: Path) -> None:
    write_workspace(reg, tmp_path / "ws", _info(reg))
    solution = pd.read_csv(reg.solution_path)
    value_columns = [c for c in solution.columns if c != reg.challenge.id_column]
    secrets = {f"{SECRET_BASE + i:.3f}" for i in range(len(solution))}
    files = [p for p in (tmp_path / "ws").rglob("*") if p.is_file()]
    # The test rows' answers appear nowhere, in any file, as text.
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path
        assert "Usage" not in text and "Private" not in text.split("## Scoring")[0], path
    # And no table has a column that holds the answer key for the test ids.
    answers = solution.set_index(reg.challenge.id_column)
    for path in (p for p in files if p.suffix == ".csv"):
        frame = pd.read_csv(path)
        if reg.challenge.id_column not in frame or not frame["id"].isin(answers.index).all():
            continue
        for col in value_columns:
            expected = answers.loc[frame["id"], col].to_numpy()
            for column in frame.columns:
                assert not (frame[column].to_numpy() == expected).all(), (path, column)


def test_private_folder_is_never_read(reg: Bundle, tmp_path: Path) -> None:
    (reg.root / "private" / "extra-secret.csv").write_text("id,y\n1,SECRET\n")
    write_workspace(reg, tmp_path / "ws", _info(reg))
    assert not any("SECRET" in p.read_text() for p in (tmp_path / "ws").rglob("*") if p.is_file())


def test_readme_has_the_brief_four_steps_metric_and_thresholds(reg: Bundle) -> None:
    text = readme(reg, _info(reg))
    assert text.startswith("# Toy toy-reg\n")
    assert "Predict y from x." in text
    for step in (
        "Read the brief",
        "Run the starter",
        "Reproduce the reference",
        "Apply it elsewhere",
    ):
        assert step in text
    assert "`toy-cls`" in text and "trackrecord start toy-cls" in text  # the sibling
    assert "**rmse** (lower is better)" in text
    assert "Submissions per day (UTC): 5" in text


def test_readme_quotes_public_lines_only(reg: Bundle) -> None:
    """Rule 6: the README compares with the public lines (toy-reg: public 3.2 / 2.2 / 1.2,
    private 3 / 2 / 1); the private lines appear only after finalizing."""
    text = readme(reg, _info(reg))
    assert "| Medal | Public score (estimate) |" in text
    assert "| Bronze | below 3.2 " in text and "| Silver | 2.2 or lower" in text
    assert "| Gold | below 1.2 " in text
    assert "scores 2.2 on the public split" in text
    for private in ("below 3 ", "| 2 or lower", "below 1 ", "scores 2 "):
        assert private not in text
    assert "trackrecord status toy-reg" in text


def test_readme_for_higher_is_better_and_missing_thresholds(tmp_path: Path) -> None:
    spec = Spec(
        id="c",
        metric="accuracy",
        thresholds=Thresholds(0.6),
        public_thresholds=Thresholds(0.58),
    )
    cls = write_toy_bundle(tmp_path, spec)
    text = readme(cls, _info(cls))
    assert "(higher is better)" in text and "| Bronze | above 0.58 " in text
    assert "| Silver" not in text and "| Gold" not in text


def test_readme_without_public_lines_says_so(tmp_path: Path) -> None:
    spec = Spec(id="d", public_thresholds=Thresholds())
    bundle = write_toy_bundle(tmp_path, spec)
    text = readme(bundle, _info(bundle))
    assert "This project sets no public medal lines." in text and "| Bronze" not in text


def test_starter_from_the_bundle_is_copied(tmp_path: Path) -> None:
    bundle = write_toy_bundle(tmp_path / "b", Spec())
    (bundle.root / "starter").mkdir()
    notebook = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (bundle.root / "starter" / "starter.ipynb").write_text(json.dumps(notebook))
    (bundle.root / "starter" / "baseline.py").write_text("print('hi')\n")
    written, _ = write_workspace(bundle, tmp_path / "ws", _info(bundle))
    assert "baseline.py" in written
    assert json.loads((tmp_path / "ws" / "starter.ipynb").read_text()) == notebook


def test_starting_again_keeps_the_learners_files(reg: Bundle, tmp_path: Path) -> None:
    write_workspace(reg, tmp_path / "ws", _info(reg))
    (tmp_path / "ws" / "starter.ipynb").write_text("my work")
    written, kept = write_workspace(reg, tmp_path / "ws", _info(reg))
    assert written == [] and "starter.ipynb" in kept
    assert (tmp_path / "ws" / "starter.ipynb").read_text() == "my work"


def test_the_default_starter_runs_and_writes_a_valid_submission(
    reg: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trackrecord.scoring import score

    write_workspace(reg, tmp_path / "ws", _info(reg))
    notebook = nbformat.read(tmp_path / "ws" / "starter.ipynb", as_version=4)
    monkeypatch.chdir(tmp_path / "ws")
    namespace: dict[str, object] = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)
    assert score(reg, tmp_path / "ws" / "submission.csv").rows == 20


def test_readme_thresholds_come_from_the_bundle_the_scorer_uses(reg: Bundle) -> None:
    from dataclasses import replace

    stale = replace(_info(reg), public_thresholds=Thresholds())  # metadata without numbers
    text = readme(reg, stale)
    assert "| Silver | 2.2 or lower" in text and "scores 2.2 on the public split" in text

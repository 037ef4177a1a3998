"""The built-in catalog: metadata, the recipe registry, built bundles, caching, starters."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from trackrecord.bundle import open_bundle
from trackrecord.bundle.check import check_bundle
from trackrecord.catalog import (
    SKILLS,
    Brief,
    Project,
    build_catalog,
    bundle_path,
    get_project,
    list_projects,
    recipe,
    registry,
)
from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.build import FINGERPRINT_FILE
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.evaluate import PUBLIC_SE_FACTOR, RERUN_SE, RecipeError, bronze_step
from trackrecord.catalog.fields import classification_field, with_pre
from trackrecord.catalog.prepare import supervised
from trackrecord.catalog.registry import get_recipe
from trackrecord.catalog.splits import with_ids
from trackrecord.catalog.stored import load_stored
from trackrecord.errors import NotFound
from trackrecord.metrics import get_metric
from trackrecord.scoring import score

PROJECTS = list_projects()
IDS = [p.id for p in PROJECTS]
CATALOG_SRC = Path(__file__).parents[1] / "src" / "trackrecord" / "catalog"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bundle, built once for this module (stored numbers: no model is fitted)."""
    return build_catalog(tmp_path_factory.mktemp("catalog"))


# --- metadata, instant -------------------------------------------------------------------


def test_at_least_thirty_projects_sorted_by_level_then_id() -> None:
    assert len(PROJECTS) >= 30
    assert [(p.level, p.id) for p in PROJECTS] == sorted((p.level, p.id) for p in PROJECTS)
    assert len(set(IDS)) == len(IDS)


def test_levels_and_task_families_spread() -> None:
    assert {p.level for p in PROJECTS} == {1, 2, 3, 4, 5}
    assert len({p.task for p in PROJECTS}) >= 6


def test_skills_come_from_the_one_vocabulary() -> None:
    for p in PROJECTS:
        assert p.skills, p.id
        assert set(p.skills) <= set(SKILLS), (p.id, set(p.skills) - set(SKILLS))
    for name, text in SKILLS.items():
        assert name == name.lower() and " " not in name
        assert text.strip() and "\n" not in text


def test_apply_elsewhere_siblings_exist() -> None:
    for p in PROJECTS:
        assert p.apply_elsewhere, p.id
        assert set(p.apply_elsewhere) <= set(IDS), p.id
        assert p.id not in p.apply_elsewhere


def test_thresholds_are_stored_and_ordered_by_the_metric() -> None:
    for p in PROJECTS:
        th, metric = p.thresholds, get_metric(p.metric)
        assert None not in (th.baseline, th.reference, th.gold), p.id
        assert th.baseline is not None and th.reference is not None and th.gold is not None
        assert metric.better(th.reference, th.baseline), p.id
        assert metric.better(th.gold, th.reference), p.id
        assert math.isclose(abs(th.gold - th.reference), p.gold_margin, rel_tol=1e-9), p.id


def test_stored_field_has_about_ten_pipelines() -> None:
    stored = load_stored()
    assert set(stored) == set(IDS)
    for rid, entry in stored.items():
        assert 9 <= len(entry.field) <= 16, rid  # baseline, reference, ~7-14 standard ones
        assert entry.field[0].name.startswith("baseline") and entry.field[1].name.startswith(
            "reference"
        )
        # the bronze line lies a re-run's noise beyond the baseline's own score
        sign = 1.0 if get_metric(get_recipe(rid).metric).greater_is_better else -1.0
        assert entry.se is not None and entry.thresholds.baseline is not None
        step = (entry.thresholds.baseline - entry.field[0].private) * sign
        assert math.isclose(step, bronze_step(entry.se), rel_tol=1e-6), rid


def test_get_project_and_unknown_ids() -> None:
    assert get_project("titanic").title.startswith("Titanic")
    with pytest.raises(NotFound, match=r"unknown project 'titanc'; did you mean 'titanic'"):
        get_project("titanc")
    with pytest.raises(NotFound, match="unknown project 'zzzz'"):
        get_project("zzzz")


def test_core_never_imports_terminal_or_web_libraries() -> None:
    for path in CATALOG_SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for lib in ("rich", "typer", "fastapi", "jinja2"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, path.name


def test_modules_stay_small() -> None:
    for path in CATALOG_SRC.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 600, path.name


# --- built bundles -----------------------------------------------------------------------


def test_every_bundle_passes_the_checker(built: dict[str, Path]) -> None:
    for rid, folder in built.items():
        assert check_bundle(folder) == [], rid


def test_bundles_carry_the_stored_numbers(built: dict[str, Path]) -> None:
    for p in PROJECTS:
        ch = open_bundle(built[p.id]).challenge
        assert ch.thresholds == p.thresholds
        assert (ch.difficulty, ch.skills, ch.task, ch.metric) == (
            p.level,
            p.skills,
            p.task,
            p.metric,
        )
        assert ch.field == load_stored()[p.id].field


def test_test_sets_have_at_least_300_rows_and_unique_ids(built: dict[str, Path]) -> None:
    for rid, folder in built.items():
        train = pd.read_csv(folder / "public" / "train.csv")
        test = pd.read_csv(folder / "public" / "test.csv")
        assert len(test) >= 300, rid
        assert train["id"].is_unique and test["id"].is_unique, rid
        assert not set(train["id"]) & set(test["id"]), rid


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().reset_index(drop=True)


def test_no_public_file_holds_an_answer_column(built: dict[str, Path]) -> None:
    for rid, folder in built.items():
        ch = open_bundle(folder).challenge
        solution = pd.read_csv(folder / "private" / "solution.csv")
        for name in ("test.csv", "sample_submission.csv"):
            public = pd.read_csv(folder / "public" / name)
            joined = public.merge(solution, on="id", suffixes=("", "__answer"))
            assert len(joined) == len(solution), (rid, name)
            for answer in ch.solution_columns:
                truth = _as_text(joined[f"{answer}__answer" if answer in public else answer])
                for column in public.columns.drop("id"):
                    assert not _as_text(joined[column]).equals(truth), (rid, name, column)
        test_columns = pd.read_csv(folder / "public" / "test.csv", nrows=1).columns
        assert not set(ch.solution_columns) & set(test_columns), rid


def test_descriptions_and_starters_are_complete(built: dict[str, Path]) -> None:
    for p in PROJECTS:
        folder = built[p.id]
        text = (folder / "description.md").read_text(encoding="utf-8")
        for heading in ("## The data", "## What to predict", "## How you are scored"):
            assert heading in text, (p.id, heading)
        nb = nbformat.read(folder / "starter" / "starter.ipynb", as_version=4)
        nbformat.validate(nb)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert 'pd.read_csv("data/train.csv")' in code and "submission.csv" in code
        assert "solution" not in code


# --- building: determinism, caching, progress ----------------------------------------------

SAMPLE = ["titanic", "us-births", "digit-clusters", "movielens-top10", "fishing-mode"]


@pytest.mark.parametrize(
    "rid", [i if i in SAMPLE else pytest.param(i, marks=pytest.mark.slow) for i in IDS]
)
def test_builds_are_byte_identical(rid: str, tmp_path: Path) -> None:
    """Every recipe, built twice, writes the same bytes (the sample by default, all in CI)."""
    first = build_catalog(tmp_path / "a", [rid])
    second = build_catalog(tmp_path / "b", [rid])
    for rel in (
        "private/solution.csv",
        "public/train.csv",
        "public/test.csv",
        "starter/starter.ipynb",
        "challenge.toml",
        "description.md",
    ):
        assert (first[rid] / rel).read_bytes() == (second[rid] / rel).read_bytes(), rel


def test_second_build_is_cached_and_force_rebuilds(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    ids = ["titanic", "spam7"]
    build_catalog(tmp_path, ids, progress=lambda *a: calls.append(a))
    assert calls == [("titanic", 1, 2), ("spam7", 2, 2)]
    stamp = {i: (tmp_path / i / "challenge.toml").stat().st_mtime_ns for i in ids}
    fingerprint = (tmp_path / "titanic" / FINGERPRINT_FILE).read_text()
    build_catalog(tmp_path, ids)
    assert {i: (tmp_path / i / "challenge.toml").stat().st_mtime_ns for i in ids} == stamp
    assert (tmp_path / "titanic" / FINGERPRINT_FILE).read_text() == fingerprint
    build_catalog(tmp_path, ["titanic"], force=True)
    assert (tmp_path / "titanic" / "challenge.toml").stat().st_mtime_ns != stamp["titanic"]


def test_a_stale_or_damaged_bundle_is_rebuilt(tmp_path: Path) -> None:
    folder = bundle_path(tmp_path, "titanic")
    (folder / FINGERPRINT_FILE).write_text("old recipe")
    (folder / "private" / "solution.csv").write_text("broken")
    assert bundle_path(tmp_path, "titanic") == folder
    assert (folder / "private" / "solution.csv").read_text().startswith("id,")


def test_unknown_ids_fail_before_building(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        build_catalog(tmp_path, ["titanic", "nope"])
    assert not (tmp_path / "titanic").exists()


# --- the registry, as a third party uses it -------------------------------------------------


@pytest.fixture
def scratch_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    registry.all_recipes()  # load the built-ins first
    monkeypatch.setattr(registry, "_RECIPES", dict(registry._RECIPES))
    yield


def digits_frame() -> pd.DataFrame:
    from sklearn.datasets import load_digits

    digits = load_digits()
    names = [f"px_{r}_{c}" for r in range(8) for c in range(8)]
    df = pd.DataFrame(digits.data.astype(int), columns=names)
    df["digit"] = digits.target
    return df


def _digits_project(*, reference_model: str) -> Project:
    data = supervised(
        with_ids(digits_frame()),
        metric="accuracy",
        target="digit",
        test_size=400,
        seed=1,
        stratify=True,
    )
    baseline = model_baseline(
        data.spec,
        name="baseline",
        model="LogisticRegression()",
        imports="from sklearn.linear_model import LogisticRegression",
        numeric=("px_3_3", "px_4_4"),
    )
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression

    make = (
        with_pre(lambda: LogisticRegression(max_iter=500))
        if reference_model == "logistic"
        else (lambda X: DummyClassifier())
    )
    return data.project(
        brief=Brief(source="sklearn", about="digits", target="digit", metric_why="accuracy"),
        baseline=baseline,
        reference=SklearnContender(f"reference: {reference_model}", make),
        field=classification_field(len(data.train), proba=False)[:3],
    )


def test_a_third_party_recipe_registers_and_builds(scratch_registry: None, tmp_path: Path) -> None:
    @recipe(
        "my-digits",
        title="My digits",
        task="image",
        metric="accuracy",
        level=2,
        skills=("images",),
        summary="Digits, my way.",
        gold_margin=0.01,
    )
    def my_digits() -> Project:
        return _digits_project(reference_model="logistic")

    assert "my-digits" in [p.id for p in list_projects()]
    folder = build_catalog(tmp_path, ["my-digits"])["my-digits"]
    ch = open_bundle(folder).challenge
    assert ch.thresholds.reference is not None and ch.thresholds.baseline is not None
    assert ch.thresholds.reference > ch.thresholds.baseline
    assert [f.name for f in ch.field][:2] == ["baseline", "reference: logistic"]


def test_a_reference_that_does_not_beat_the_baseline_fails(
    scratch_registry: None, tmp_path: Path
) -> None:
    @recipe(
        "bad-digits",
        title="Bad",
        task="image",
        metric="accuracy",
        level=2,
        skills=("images",),
        summary="A broken recipe.",
        gold_margin=0.01,
    )
    def bad_digits() -> Project:
        return _digits_project(reference_model="dummy")

    with pytest.raises(RecipeError, match="does not beat the baseline"):
        build_catalog(tmp_path, ["bad-digits"])


def test_registration_validates(scratch_registry: None) -> None:
    def build() -> Project:
        raise AssertionError("never built")

    with pytest.raises(ValueError, match="not in the vocabulary"):
        recipe(
            "x1",
            title="x",
            task="image",
            metric="accuracy",
            level=1,
            skills=("juggling",),
            summary="x",
            gold_margin=0.1,
        )(build)
    with pytest.raises(ValueError, match="already registered"):
        recipe(
            "titanic",
            title="x",
            task="image",
            metric="accuracy",
            level=1,
            skills=("images",),
            summary="x",
            gold_margin=0.1,
        )(build)
    with pytest.raises(ValueError, match="task"):
        recipe(
            "x2",
            title="x",
            task="poetry",
            metric="accuracy",
            level=1,
            skills=("images",),
            summary="x",
            gold_margin=0.1,
        )(build)


# --- starter notebooks, executed (slow) -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("rid", [p.id for p in PROJECTS])
def test_starter_notebook_runs_offline_and_scores_the_baseline(rid: str, tmp_path: Path) -> None:
    """Every project's starter, run top to bottom in a fresh kernel with only the public
    files, writes a submission that scores what the stored baseline scores."""
    from nbclient import NotebookClient

    folder = build_catalog(tmp_path / "catalog", [rid])[rid]  # this one bundle only
    workspace = tmp_path / "workspace"
    shutil.copytree(folder / "public", workspace / "data")
    shutil.copy(folder / "starter" / "starter.ipynb", workspace / "starter.ipynb")
    nb = nbformat.read(workspace / "starter.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workspace)}}
    ).execute()
    result = score(open_bundle(folder), workspace / "submission.csv")
    stored = load_stored()[rid]
    baseline = stored.field[0]
    # The kernel refits the baseline in another process: BLAS may differ in the last digits,
    # so the tolerance is a small share of the project's own noise (as in the rebuild test).
    assert stored.se is not None
    tol = RERUN_SE * stored.se
    assert abs(result.private - baseline.private) <= tol, (result.private, baseline.private)
    assert abs(result.public - baseline.public) <= tol * PUBLIC_SE_FACTOR


def test_stored_json_is_plain_sorted_json() -> None:
    doc = json.loads((CATALOG_SRC / "stored.json").read_text(encoding="utf-8"))
    assert list(doc) == sorted(doc)


def test_docs_list_every_project_with_its_current_numbers() -> None:
    from trackrecord.catalog.table import catalog_table

    doc = (Path(__file__).parents[1] / "docs" / "catalog.md").read_text(encoding="utf-8")
    from trackrecord.catalog.families import family

    for p in PROJECTS:  # by level and family
        assert f"| {p.level} | {family(p)} | `{p.id}` | {p.title} | {p.metric} |" in doc, p.id
    assert catalog_table() in doc, "run python -m trackrecord.catalog.table into the docs"

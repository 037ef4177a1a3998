"""The reference's code in the bundle: private/reference.py, revealed after finalizing.

The build writes it when the reference is a CodeContender; it never reaches public/,
starter/ or a workspace, and running it reproduces the reference's public score.
"""

from __future__ import annotations

import ast
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from trackrecord.bundle import Bundle, open_bundle, pack_bundle, reference_code
from trackrecord.catalog import Brief, Project, build_catalog, list_projects
from trackrecord.catalog import splits as sp
from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.build import write_project
from trackrecord.catalog.contenders import CodeContender, SklearnContender
from trackrecord.catalog.model import Recipe
from trackrecord.catalog.noise import bootstrap_se
from trackrecord.catalog.prepare import supervised
from trackrecord.scoring import score_frame
from trackrecord.scoring.engine import align_frame

REFERENCE = CodeContender(
    "reference: gradient boosting on both features",
    "from sklearn.ensemble import HistGradientBoostingClassifier\n\n"
    'features = ["x1", "x2"]\n'
    "model = HistGradientBoostingClassifier(max_iter=60, random_state=0)\n"
    'model.fit(train[features], train["label"])\n\n'
    'submission = pd.DataFrame({"id": test["id"]})\n'
    'submission["label"] = model.predict_proba(test[features])[:, 1]\n',
    "Boosted trees find the interaction of x1 and x2 that a linear model misses.",
)


def _project() -> Project:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x1": rng.normal(size=900), "x2": rng.normal(size=900)})
    noisy = df["x1"] * df["x2"] + 0.5 * df["x1"] + rng.normal(scale=0.5, size=900)
    df["label"] = np.where(noisy > 0, "yes", "no")
    data = supervised(sp.with_ids(df), metric="roc_auc", target="label", test_size=300, seed=1)
    baseline = model_baseline(
        data.spec,
        name="baseline: logistic regression on x1",
        model="LogisticRegression()",
        imports="from sklearn.linear_model import LogisticRegression",
        numeric=("x1",),
    )
    brief = Brief(source="numpy", about="Synthetic.", target="`label`", metric_why="Ranking.")
    return data.project(brief=brief, baseline=baseline, reference=REFERENCE, field=())


RECIPE = Recipe(
    id="synthetic-reference",
    title="Synthetic reference",
    task="binary-classification",
    metric="roc_auc",
    level=1,
    skills=("baselines",),
    apply_elsewhere=(),
    summary="A synthetic project with a reference written as code.",
    gold_margin=0.01,
    version="1",
    build=_project,
)


def read_public(bundle: Bundle) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(bundle.public_dir / f"{file}.csv")
        for name, file in (("train", "train"), ("test", "test"), ("sample", "sample_submission"))
    }


def run_reference(bundle: Bundle) -> pd.DataFrame:
    """Execute private/reference.py as CodeContender runs a snippet: pd, np and the public
    files as `train`, `test` and `sample`; it must define `submission`."""
    source = reference_code(bundle)
    assert source is not None
    namespace: dict[str, Any] = {"pd": pd, "np": np, **read_public(bundle)}
    with threadpool_limits(limits=1):  # as the build measured it
        exec(compile(source, "reference.py", "exec"), namespace)
    submission = namespace["submission"]
    assert isinstance(submission, pd.DataFrame)
    return submission


def test_the_reference_code_is_written_privately(tmp_path: Path) -> None:
    project = _project()
    bundle = write_project(RECIPE, project, tmp_path / RECIPE.id, None)
    path = bundle.root / "private" / "reference.py"
    assert path.is_file()
    source = reference_code(bundle)
    assert source == path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring is not None
    assert docstring.startswith(f"{REFERENCE.name}.")
    assert "interaction of x1 and x2" in docstring
    assert REFERENCE.code.strip() in source
    # Never where a learner's files come from; a host's packed bundle keeps it.
    assert all(p.name != "reference.py" for p in bundle.public_files())
    assert not list(bundle.starter_dir.rglob("reference.py"))
    assert not list(bundle.public_dir.rglob("*.py"))
    assert "HistGradientBoosting" not in (bundle.starter_dir / "starter.ipynb").read_text()
    assert "HistGradientBoosting" not in bundle.description
    packed = pack_bundle(bundle.root, tmp_path / "packed.zip")
    assert reference_code(open_bundle(packed, cache_dir=tmp_path / "cache")) == source


def test_running_the_reference_code_reproduces_its_score(tmp_path: Path) -> None:
    project = _project()
    bundle = write_project(RECIPE, project, tmp_path / RECIPE.id, None)
    public = read_public(bundle)
    with threadpool_limits(limits=1):
        built = project.reference.predict(public["train"], public["test"], project.spec)
    want = score_frame(bundle, built)
    got = score_frame(bundle, run_reference(bundle))
    se = bootstrap_se(align_frame(bundle, built))
    assert se > 0
    assert abs(got.public - want.public) <= 0.1 * se
    assert abs(got.private - want.private) <= 0.1 * se
    assert got.public > 0.6  # the code is a working model, not a placeholder


def test_a_reference_that_is_not_code_writes_no_file(tmp_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    project = replace(
        _project(),
        reference=SklearnContender("reference: logistic", lambda X: LogisticRegression()),
    )
    bundle = write_project(RECIPE, project, tmp_path / RECIPE.id, None)
    assert reference_code(bundle) is None
    assert not (bundle.root / "private" / "reference.py").exists()


# --- the catalog's stored numbers (slow: builds and runs every reference) --------------------


@pytest.mark.slow
@pytest.mark.parametrize("rid", [p.id for p in list_projects()])
def test_catalog_reference_code_reproduces_the_stored_public_score(
    rid: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = build_catalog(tmp_path_factory.mktemp("catalog"), [rid])[rid]
    bundle = open_bundle(folder)
    if reference_code(bundle) is None:
        pytest.skip(f"{rid}: the reference is not written as code yet")
    assert all(p.suffix != ".py" for p in bundle.public_files())
    challenge = bundle.challenge
    stored, se = challenge.public_thresholds.reference, challenge.score_se
    assert stored is not None and se is not None and se > 0
    result = score_frame(bundle, run_reference(bundle))
    # A tenth of the private score's bootstrap SE: far above what BLAS kernels change
    # between machines, far below what a different model would change.
    assert math.isclose(result.public, stored, abs_tol=0.1 * se), (result.public, stored, se)

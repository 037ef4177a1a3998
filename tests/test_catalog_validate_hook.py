"""A project folder's own validation cell (validate.py): for projects no generic scheme fits,
such as implicit feedback, where train holds no target. The starter shows that code after
the metric's score function, and the sample submission of a target-less train is zeros."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from trackrecord.catalog.contenders import sample_submission
from trackrecord.catalog.folders import BUILTIN_DIR, load_folder
from trackrecord.catalog.model import Spec
from trackrecord.catalog.notebook import starter_notebook
from trackrecord.metrics import InputKind

SNIPPET = 'print(f"validation accuracy: {0.5:.4f}")  # this project validates its own way\n'


def test_validate_py_replaces_the_generic_validation_cell(tmp_path: Path) -> None:
    folder = tmp_path / "titanic-own-check"
    shutil.copytree(BUILTIN_DIR / "titanic", folder)
    plain = load_folder(folder)
    assert plain.recipe.build().validation_code is None
    (folder / "validate.py").write_text(SNIPPET, encoding="utf-8")
    own = load_folder(folder)
    assert folder / "validate.py" in own.files  # a change to it rebuilds the bundle
    project = own.recipe.build()
    assert project.validation_code == SNIPPET
    cells = starter_notebook(project, own.recipe)["cells"]
    code = [c["source"] for c in cells if c["cell_type"] == "code"]
    cell = next(c for c in code if SNIPPET in c)
    assert cell.index("def score(") < cell.index(SNIPPET)  # the metric comes first
    assert not any("StratifiedKFold(" in c for c in code)  # the generic scheme is gone


def test_a_target_less_train_gets_a_zero_sample_submission() -> None:
    spec = Spec(id_column="id", target="relevant", target_columns=("score",), kind=InputKind.SCORES)
    train = pd.DataFrame({"user": [1, 2], "item": [3, 4]})
    test = pd.DataFrame({"id": [10, 11, 12], "user": [1, 1, 2], "item": [5, 6, 7]})
    sample = sample_submission(train, test, spec)
    assert list(sample.columns) == ["id", "score"]
    assert sample["score"].tolist() == [0.0, 0.0, 0.0]

"""Rebuild every recipe from scratch and check the stored numbers still hold (slow).

If this fails after an intended change, run `python -m trackrecord.catalog.build
--update-stored ID` and review the diff of stored.json.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from trackrecord.catalog import list_projects
from trackrecord.catalog.build import evaluate_recipe
from trackrecord.catalog.registry import get_recipe
from trackrecord.catalog.stored import load_stored

REL = 1e-6


@pytest.mark.slow
@pytest.mark.parametrize("rid", [p.id for p in list_projects()])
def test_rebuild_reproduces_stored_numbers(rid: str, tmp_path: Path) -> None:
    stored = load_stored()[rid]
    fresh = evaluate_recipe(get_recipe(rid), tmp_path / rid)
    assert fresh.version == stored.version
    assert fresh.solution_sha256 == stored.solution_sha256, "the data or the split changed"
    for name in ("baseline", "reference", "gold"):
        got, want = getattr(fresh.thresholds, name), getattr(stored.thresholds, name)
        assert math.isclose(got, want, rel_tol=REL), (name, got, want)
    assert [f.name for f in fresh.field] == [f.name for f in stored.field]
    for got, want in zip(fresh.field, stored.field, strict=True):
        assert math.isclose(got.public, want.public, rel_tol=REL, abs_tol=1e-12), got.name
        assert math.isclose(got.private, want.private, rel_tol=REL, abs_tol=1e-12), got.name

"""Rebuild every recipe from scratch and check the stored numbers still hold (slow): the
medal lines, the no-skill predictions and the SE of every project, and the whole field of
one project per task family (of all with TRACKRECORD_REBUILD_FIELDS=all).

The tolerance comes from each project's own noise, never 1e-6: BLAS kernels differ between
Intel and AMD CPUs in the last digits, and a model fit can amplify that. A rebuild may move a
score by a small share of the bootstrap SE of the private score (DESIGN.md, rule 8), which is
far less than any rule's margin (the smallest is one SE). If this fails after an intended
change, run `python -m trackrecord.catalog.build --update-stored ID` and review the diff.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from pathlib import Path

import pytest

from trackrecord.catalog import list_projects
from trackrecord.catalog.build import evaluate_recipe
from trackrecord.catalog.evaluate import PUBLIC_SE_FACTOR, RERUN_SE
from trackrecord.catalog.registry import get_recipe
from trackrecord.catalog.stored import StoredEntry, environment, load_stored, stored_environment

ROOT = Path(__file__).resolve().parents[1]
# How far a rebuilt score may move, as a share of the private score's SE: the bronze line
# lies this far beyond the baseline's score, so a re-run starter never earns bronze.
SHARE_OF_SE = RERUN_SE


def _close(got: float, want: float, tol: float) -> bool:
    return abs(got - want) <= tol


def _check_entries(fresh: StoredEntry, stored: StoredEntry, attr: str, tol: float) -> None:
    got_rows, want_rows = getattr(fresh, attr), getattr(stored, attr)
    assert [f.name for f in got_rows] == [f.name for f in want_rows], attr
    for got, want in zip(got_rows, want_rows, strict=True):
        assert _close(got.private, want.private, tol), (attr, got.name, got.private, want.private)
        assert _close(got.public, want.public, tol * PUBLIC_SE_FACTOR), (attr, got.name)


def _with_field() -> set[str]:
    """The projects whose whole field is re-measured too: one per task family (the first
    by level), or every one with TRACKRECORD_REBUILD_FIELDS=all. The field's standard
    pipelines set no medal line and cost about two thirds of a rebuild; the lines, the
    no-skill predictions and the SE are re-measured for every project."""
    projects = list_projects()
    if os.environ.get("TRACKRECORD_REBUILD_FIELDS") == "all":
        return {p.id for p in projects}
    first: dict[str, str] = {}
    for p in projects:
        first.setdefault(p.task, p.id)
    return set(first.values())


WITH_FIELD = _with_field()


@pytest.mark.slow
@pytest.mark.parametrize("rid", [p.id for p in list_projects()])
def test_rebuild_reproduces_stored_numbers(rid: str, tmp_path: Path) -> None:
    stored = load_stored()[rid]
    with_field = rid in WITH_FIELD
    fresh = evaluate_recipe(get_recipe(rid), tmp_path / rid, with_field=with_field)
    if not with_field:  # the baseline and the reference lead the field
        stored = dataclasses.replace(stored, field=stored.field[:2])
    assert fresh.version == stored.version
    assert fresh.solution_sha256 == stored.solution_sha256, "the data or the split changed"
    assert stored.se is not None and fresh.se is not None
    tol = SHARE_OF_SE * stored.se
    # The SE is itself an estimate (400 resamples of fixed seed): it moves only if the
    # reference's predictions do, so it must agree to a few percent.
    assert math.isclose(fresh.se, stored.se, rel_tol=0.05), (fresh.se, stored.se)
    for name in ("baseline", "reference"):
        got, want = getattr(fresh.thresholds, name), getattr(stored.thresholds, name)
        assert _close(got, want, tol), (name, got, want)
        got, want = getattr(fresh.public_thresholds, name), getattr(stored.public_thresholds, name)
        assert _close(got, want, tol * PUBLIC_SE_FACTOR), ("public", name, got, want)
    assert fresh.gold_margin is not None and stored.gold_margin is not None
    assert math.isclose(fresh.gold_margin, stored.gold_margin, rel_tol=0.1)
    assert _close(fresh.thresholds.gold, stored.thresholds.gold, tol + stored.gold_margin * 0.1)
    assert fresh.sizes == stored.sizes and fresh.split["kind"] == stored.split["kind"]
    _check_entries(fresh, stored, "field", tol)
    _check_entries(fresh, stored, "constants", tol)


def _pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if found:
            pins[found[1].lower().replace("_", "-")] = found[2]
    return pins


def test_stored_numbers_record_the_pinned_versions_that_made_them() -> None:
    made_with = stored_environment()
    assert made_with, "stored.json records no _environment"
    pins = _pinned()
    for lib, version in made_with.items():
        assert pins.get(lib) == version, f"stored.json was made with {lib} {version}"


def test_make_installs_the_pinned_versions() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line and "-e" in line]
    assert installs and all("-c constraints.txt" in line for line in installs)
    pins = _pinned()
    for lib, version in environment().items():
        assert pins.get(lib) == version, f"installed {lib} {version} is not the pinned version"

"""Build catalog bundles from recipes, cached by a fingerprint of the recipe.

python -m trackrecord.catalog.build DEST [ID ...]        # build bundles into DEST
python -m trackrecord.catalog.build --update-stored [ID ...]  # recompute stored.json
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import inspect
import json
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from trackrecord.bundle import Bundle, Challenge, Thresholds, write_bundle
from trackrecord.catalog.contenders import CodeContender, sample_submission
from trackrecord.catalog.describe import description
from trackrecord.catalog.evaluate import (
    bronze_step,
    check_split,
    evaluate,
    gold_margin,
    id_order_correlation,
    private_sizes,
    thresholds,
)
from trackrecord.catalog.model import Project, Recipe
from trackrecord.catalog.notebook import starter_files
from trackrecord.catalog.registry import all_recipes, get_recipe
from trackrecord.catalog.stored import (
    ENVIRONMENT,
    STORED_PATH,
    StoredEntry,
    environment,
    load_stored,
    save_stored,
)

FINGERPRINT_FILE = ".recipe-fingerprint"
Progress = Callable[[str, int, int], None]
_REFERENCE_USAGE = (
    "The code the silver line was scored with. It reads `train`, `test` and `sample` (the"
    " public CSV files as DataFrames) and defines `submission`, like the starter's baseline."
)


def challenge_for(recipe: Recipe, project: Project, entry: StoredEntry | None) -> Challenge:
    spec = project.spec
    return Challenge(
        id=recipe.id,
        title=recipe.title,
        task=recipe.task,
        metric=recipe.metric,
        id_column=spec.id_column,
        target_columns=spec.target_columns,
        solution_columns=project.solution_columns or spec.target_columns,
        version=recipe.version,
        metric_params=dict(project.metric_params),
        group_column=spec.group_column,
        difficulty=recipe.level,
        skills=recipe.skills,
        thresholds=entry.thresholds if entry else Thresholds(),
        apply_elsewhere=recipe.apply_elsewhere,
        labels=spec.labels,
        gold_margin=recipe.margin(entry),
        field=entry.field if entry else (),
        public_thresholds=entry.public_thresholds if entry else Thresholds(),
        score_se=entry.se if entry else None,
    )


def reference_module(project: Project) -> str | None:
    """private/reference.py: the reference pipeline's snippet under a docstring with its
    name and explanation; None when the reference is not code (nothing to reveal)."""
    reference = project.reference
    if not isinstance(reference, CodeContender):
        return None
    words = [reference.name.rstrip(".") + ".", reference.explanation.strip(), _REFERENCE_USAGE]
    text = "\n\n".join(textwrap.fill(w, 88) for w in words if w)
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    code = reference.code.strip()
    # the names the runner defines, imported unless the snippet imports them itself
    lines = set(code.splitlines())
    header = "".join(
        f"{i}\n" for i in ("import numpy as np", "import pandas as pd") if i not in lines
    )
    return f'"""{text}\n"""\n\n{header}\n{code}\n' if header else f'"""{text}\n"""\n\n{code}\n'


def write_project(
    recipe: Recipe,
    project: Project,
    folder: Path,
    entry: StoredEntry | None,
    *,
    challenge_id: str | None = None,
) -> Bundle:
    """Write the bundle folder (with the numbers of `entry`, when given); `challenge_id`
    names a hosted copy (default: the recipe's id)."""
    challenge = challenge_for(recipe, project, entry)
    if challenge_id is not None:
        challenge = dataclasses.replace(challenge, id=challenge_id)
    return write_bundle(
        folder,
        challenge,
        description=description(project, recipe),
        train=project.train,
        test=project.test,
        solution=project.answers,
        sample_submission=sample_submission(project.train, project.test, project.spec),
        extra_public=project.extra_public,
        starter=starter_files(project, recipe),
        reference_code=reference_module(project),
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def measure(
    recipe: Recipe, project: Project, bundle: Bundle, *, with_field: bool = True
) -> StoredEntry:
    """Run every pipeline on the written bundle and derive the stored numbers
    (`with_field=False`: the field holds only the baseline and the reference)."""
    check_split(project)
    ev = evaluate(project, bundle, with_field=with_field)
    margin = gold_margin(recipe, ev.se)
    return StoredEntry(
        version=recipe.version,
        solution_sha256=sha256(bundle.solution_path),
        thresholds=thresholds(
            recipe, ev.baseline.private, ev.reference.private, margin, bronze_step(ev.se)
        ),
        field=ev.field,
        public_thresholds=thresholds(
            recipe,
            ev.baseline.public,
            ev.reference.public,
            margin,
            bronze_step(ev.se, "public"),
        ),
        gold_margin=margin,
        se=ev.se,
        constants=ev.constants,
        sizes=private_sizes(project),
        split={
            "kind": project.split.kind,
            "column": project.split.column,
            "id_order_correlation": round(id_order_correlation(project), 4),
            "train_rows": len(project.train),
        },
    )


def evaluate_recipe(recipe: Recipe, folder: Path, *, with_field: bool = True) -> StoredEntry:
    """Build the recipe into `folder` and measure it from scratch (ignores stored.json)."""
    project = recipe.build()
    bundle = write_project(recipe, project, folder, None)
    entry = measure(recipe, project, bundle, with_field=with_field)
    write_project(recipe, project, folder, entry)
    return entry


def fingerprint(recipe: Recipe, entry: StoredEntry | None) -> str:
    """Recipe version + code hash (the recipe's files, or its module, and the catalog's
    shared modules) + the stored numbers + library versions."""
    h = hashlib.sha256(f"{recipe.id}\n{recipe.version}\n".encode())
    shared = sorted(Path(__file__).parent.glob("*.py"))
    source = inspect.getsourcefile(recipe.build)
    own = list(recipe.files) or ([Path(source)] if source else [])
    for path in [*shared, *own]:
        h.update(path.read_bytes())
    h.update(json.dumps(entry.to_json() if entry else None, sort_keys=True).encode())
    for lib, found in environment().items():
        h.update(f"{lib}={found}\n".encode())
    return h.hexdigest()


def _read_stored(path: Path) -> dict[str, StoredEntry]:
    """A stored-numbers file that may change while the process runs (a host's projects
    are measured on their first build), read again whenever it changed."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    return _read_stored_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read_stored_version(path: Path, mtime_ns: int, size: int) -> dict[str, StoredEntry]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {rid: StoredEntry.from_json(e) for rid, e in doc.items() if rid != ENVIRONMENT}


def stored_entry(recipe: Recipe) -> StoredEntry | None:
    """The numbers measured for this version of the recipe: from the catalog's stored.json,
    or from the recipe's own file (a host's projects); None when none are."""
    stored = load_stored() if recipe.stored is None else _read_stored(recipe.stored)
    entry = stored.get(recipe.id)
    return entry if entry is not None and entry.version == recipe.version else None


def build_project(recipe: Recipe, dest: Path, *, force: bool = False) -> Path:
    """Build one bundle unless its fingerprint says it is current."""
    folder = dest / recipe.id
    stored = stored_entry(recipe)
    fp = fingerprint(recipe, stored)
    marker = folder / FINGERPRINT_FILE
    if not force and marker.is_file() and marker.read_text(encoding="utf-8") == fp:
        return folder
    project = recipe.build()
    bundle = write_project(recipe, project, folder, stored)
    if stored is None or stored.solution_sha256 != sha256(bundle.solution_path):
        # No numbers for this exact data: measure them here (slower, still deterministic).
        entry = measure(recipe, project, bundle)
        write_project(recipe, project, folder, entry)
        if recipe.stored is not None:  # a host's project: keep them for the listing
            save_stored({recipe.id: entry}, recipe.stored)
            fp = fingerprint(recipe, entry)
    marker.write_text(fp, encoding="utf-8")
    return folder


def build_catalog(
    dest: Path,
    ids: Sequence[str] | None = None,
    *,
    progress: Progress | None = None,
    force: bool = False,
) -> dict[str, Path]:
    """Build bundles into dest/<id>/ (all recipes, or `ids`); current ones are kept.

    `progress(id, done, total)` is called after each project is ready.
    """
    recipes = [get_recipe(i) for i in ids] if ids is not None else all_recipes()
    built: dict[str, Path] = {}
    for i, recipe in enumerate(recipes, 1):
        built[recipe.id] = build_project(recipe, Path(dest), force=force)
        if progress is not None:
            progress(recipe.id, i, len(recipes))
    return built


def bundle_path(dest: Path, id: str) -> Path:
    """The folder of one project's bundle, built first if needed."""
    return build_project(get_recipe(id), Path(dest))


def update_stored(ids: Sequence[str] | None = None) -> dict[str, float]:
    """Measure recipes from scratch and write their numbers to stored.json; returns the
    seconds each took."""
    recipes = [get_recipe(i) for i in ids] if ids else all_recipes()
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for recipe in recipes:
            start = time.perf_counter()
            entry = evaluate_recipe(recipe, Path(tmp) / recipe.id)
            # one at a time: a failure later keeps this one
            save_stored({recipe.id: entry}, recipe.stored or STORED_PATH)
            seconds[recipe.id] = time.perf_counter() - start
            print(f"{recipe.id:28s} {seconds[recipe.id]:6.1f}s", flush=True)
    return seconds


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m trackrecord.catalog.build")
    parser.add_argument("dest", nargs="?", type=Path, help="folder to build bundles into")
    parser.add_argument("ids", nargs="*", help="recipe ids (default: all)")
    parser.add_argument("--update-stored", action="store_true", help="recompute stored.json")
    parser.add_argument("--force", action="store_true", help="rebuild even if current")
    args = parser.parse_args(argv)
    if args.update_stored:
        ids = [str(args.dest), *args.ids] if args.dest else args.ids
        seconds = update_stored(ids)
        print(f"stored.json updated: {len(seconds)} recipes in {sum(seconds.values()):.1f}s")
        return
    if args.dest is None:
        parser.error("give a destination folder, or --update-stored")
    start = time.perf_counter()
    built = build_catalog(args.dest, args.ids or None, force=args.force)
    print(f"{len(built)} bundles in {args.dest} ({time.perf_counter() - start:.1f}s)")


if __name__ == "__main__":
    main()

"""The recipe registry: built-in projects register exactly as a third party's would.

The built-in projects are folders (catalog/projects/<id>/, read by catalog/folders.py); a
host adds a folder of such folders with `add_projects_dir` (`serve --projects DIR`). Code
registers with the `recipe` decorator (or `register_recipe`) in a module that is imported,
or declares that module under the `trackrecord.recipes` entry-point group so the catalog
imports it on first use. Every way ends in `register_recipe`.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

from trackrecord.bundle.model import TASKS
from trackrecord.bundle.v1 import ID_RE
from trackrecord.catalog.model import BuildFn, Recipe
from trackrecord.catalog.skills import SKILLS
from trackrecord.errors import ConfigError, NotFound, Problem

if TYPE_CHECKING:
    from trackrecord.catalog.folders import ProjectFolder

ENTRY_POINT_GROUP = "trackrecord.recipes"
_RECIPES: dict[str, Recipe] = {}
_FOLDERS: dict[str, ProjectFolder] = {}  # the recipes that are folders, by id
_DIRS: list[Path] = []  # the folders of project folders registered, in order
_LOADED = False
_LOCK = threading.RLock()


def register_recipe(recipe: Recipe) -> Recipe:
    """Add a recipe; its id must be new and its task and skills known."""
    if not ID_RE.match(recipe.id):
        raise ValueError(f"recipe id {recipe.id!r} must be lowercase letters, digits, . _ -")
    if recipe.id in _RECIPES:
        raise ValueError(f"recipe {recipe.id!r} is already registered")
    if recipe.task not in TASKS:
        raise ValueError(f"recipe {recipe.id!r}: task {recipe.task!r} is not one of {TASKS}")
    unknown = [s for s in recipe.skills if s not in SKILLS]
    if unknown:
        raise ValueError(f"recipe {recipe.id!r}: skills not in the vocabulary: {unknown}")
    if not 1 <= recipe.level <= 5:
        raise ValueError(f"recipe {recipe.id!r}: level must be 1 to 5, got {recipe.level}")
    _RECIPES[recipe.id] = recipe
    return recipe


def recipe(
    id: str,
    *,
    title: str,
    task: str,
    metric: str,
    level: int,
    skills: Sequence[str],
    summary: str,
    gold_margin: float,
    apply_elsewhere: Sequence[str] = (),
    version: str = "1",
) -> Callable[[BuildFn], BuildFn]:
    """Decorator: register the function that builds a project's data and pipelines.

    Bump `version` whenever the data or the pipelines change on purpose.
    """

    def wrap(fn: BuildFn) -> BuildFn:
        register_recipe(
            Recipe(
                id=id,
                title=title,
                task=task,
                metric=metric,
                level=level,
                skills=tuple(skills),
                apply_elsewhere=tuple(apply_elsewhere),
                summary=summary,
                gold_margin=gold_margin,
                version=version,
                build=fn,
            )
        )
        return fn

    return wrap


def register_folders(folders: Sequence[ProjectFolder]) -> None:
    """Register checked project folders; an id already taken (by a built-in project or
    another folder) is an error naming the folder, and then none of them is registered."""
    with _LOCK:
        problems = [
            Problem(f"project id {f.recipe.id!r} is already in the catalog", file=str(f.path))
            for f in folders
            if f.recipe.id in _RECIPES
        ]
        ids = [f.recipe.id for f in folders]
        problems += [
            Problem(f"two folders are named {i!r}")
            for i in sorted({i for i in ids if ids.count(i) > 1})
        ]
        if problems:
            raise ConfigError("project folders clash with the catalog", problems=problems)
        for folder in folders:
            register_recipe(folder.recipe)
            _FOLDERS[folder.recipe.id] = folder


def add_projects_dir(root: Path, *, stored: Path | None = None) -> list[str]:
    """Add every project folder under `root` to the catalog (once per folder: a second call
    with the same folder does nothing); returns the ids added. Every problem of every folder
    is reported at once in a ConfigError, and then nothing is added.

    Their numbers (thresholds, field, SE) are measured on each one's first build and kept
    in `stored` (default: `root`/stored.json; `serve` keeps them in the data directory)."""
    from trackrecord.catalog.folders import read_dir

    _load()
    with _LOCK:
        root = Path(root).expanduser().resolve()
        if root in _DIRS:
            return []
        folders = read_dir(root, stored or root / "stored.json")
        register_folders(folders)
        _DIRS.append(root)
        return [f.recipe.id for f in folders]


def project_folder(id: str) -> ProjectFolder | None:
    """The folder a project was read from (None: registered from code)."""
    _load()
    return _FOLDERS.get(id)


def project_folders() -> list[ProjectFolder]:
    """Every registered project folder (built-in and a host's), by id."""
    _load()
    return [_FOLDERS[i] for i in sorted(_FOLDERS)]


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    with _LOCK:
        if _LOADED:
            return
        from trackrecord.catalog.folders import BUILTIN_DIR, read_dir

        _LOADED = True  # set first: plugins register through this registry
        before = set(_RECIPES)
        try:
            register_folders(read_dir(BUILTIN_DIR))
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                ep.load()
        except Exception:
            _LOADED = False  # the next call reports the problem again, not half a catalog
            for rid in set(_RECIPES) - before:
                _RECIPES.pop(rid)
                _FOLDERS.pop(rid, None)
            raise


def all_recipes() -> list[Recipe]:
    """Every registered recipe, sorted by level then id."""
    _load()
    return sorted(_RECIPES.values(), key=lambda r: (r.level, r.id))


def get_recipe(id: str) -> Recipe:
    """The recipe with this id; an unknown id suggests the closest known ones."""
    _load()
    try:
        return _RECIPES[id]
    except KeyError:
        close = difflib.get_close_matches(id, list(_RECIPES), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise NotFound(f"unknown project {id!r}{hint}") from None

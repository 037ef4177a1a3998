"""The recipe registry: built-in recipes register exactly as a third party's would.

A third party registers with the `recipe` decorator (or `register_recipe`) in a module that
is imported, or declares that module under the `trackrecord.recipes` entry-point group so the
catalog imports it on first use.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from trackrecord.bundle.model import TASKS
from trackrecord.bundle.v1 import ID_RE
from trackrecord.catalog.model import BuildFn, Recipe
from trackrecord.catalog.skills import SKILLS
from trackrecord.errors import NotFound

ENTRY_POINT_GROUP = "trackrecord.recipes"
BUILTIN_MODULES = (
    "trackrecord.catalog.recipes.binary",
    "trackrecord.catalog.recipes.binary_scores",
    "trackrecord.catalog.recipes.multiclass",
    "trackrecord.catalog.recipes.regression",
    "trackrecord.catalog.recipes.regression_advanced",
    "trackrecord.catalog.recipes.timeseries",
    "trackrecord.catalog.recipes.text",
    "trackrecord.catalog.recipes.images",
    "trackrecord.catalog.recipes.clustering",
    "trackrecord.catalog.recipes.ranking",
)

_RECIPES: dict[str, Recipe] = {}
_LOADED = False


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


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        ep.load()


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

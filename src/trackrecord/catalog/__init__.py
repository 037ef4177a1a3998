"""The built-in catalog: recipes that build challenge bundles from datasets installed Python
packages ship, with thresholds measured by real pipelines.

`list_projects` and `get_project` are instant (static metadata and stored thresholds);
`build_catalog` and `bundle_path` write bundle folders, cached by recipe fingerprint.
"""

from __future__ import annotations

from trackrecord.catalog.build import build_catalog, bundle_path, stored_entry
from trackrecord.catalog.model import Brief, Project, ProjectMeta, Recipe, Spec
from trackrecord.catalog.registry import all_recipes, get_recipe, recipe, register_recipe
from trackrecord.catalog.skills import SKILLS


def _meta(r: Recipe) -> ProjectMeta:
    return r.meta(stored_entry(r))


def list_projects() -> list[ProjectMeta]:
    """Every project's metadata, sorted by level then id; nothing is built."""
    return [_meta(r) for r in all_recipes()]


def get_project(id: str) -> ProjectMeta:
    """One project's metadata; raises NotFound (with suggestions) for an unknown id."""
    return _meta(get_recipe(id))


__all__ = [
    "SKILLS",
    "Brief",
    "Project",
    "ProjectMeta",
    "Recipe",
    "Spec",
    "build_catalog",
    "bundle_path",
    "get_project",
    "list_projects",
    "recipe",
    "register_recipe",
]

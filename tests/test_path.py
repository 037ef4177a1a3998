"""The learning path: the project folders' prerequisites over the real catalog (no cycle,
every project reachable by a learner who only earns bronze), the statuses and their reasons,
and clear errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from trackrecord.catalog import list_projects
from trackrecord.catalog.path import (
    FOLDER_SOURCE,
    Condition,
    LearningPath,
    bronze_walk,
    builtin_path,
    check,
    find_cycle,
    load_path,
    main,
    mark,
    marks,
    parse_path,
)
from trackrecord.catalog.registry import project_folders
from trackrecord.errors import ConfigError


@dataclass(frozen=True)
class P:
    id: str
    level: int
    skills: tuple[str, ...] = ()


PROJECTS = [
    P("titanic", 1, ("missing-data", "trees")),
    P("diamonds", 1, ("skewed-targets",)),
    P("telco", 2, ("missing-data", "categorical-encoding")),
    P("wage", 2, ("categorical-encoding",)),
    P("ames", 3, ("categorical-encoding",)),
    P("hotel", 4, ("categorical-encoding",)),
]
KNOWN = {p.id for p in PROJECTS}
TOML = """version = 1
[telco]
requires = ["titanic"]
[wage]
requires = [{ any = ["diamonds", "titanic"] }]
[ames]
requires = [{ any = ["wage"] }, { skill = "categorical-encoding", level = 2 }]
[hotel]
requires = [{ any = ["ames"], medal = "silver" }]
"""


def _path() -> LearningPath:
    return parse_path(TOML, "test-path.toml", KNOWN)


# The built-in path over the real catalog ---------------------------------------------------


def test_the_builtin_prerequisite_graph_has_no_cycle() -> None:
    assert find_cycle(builtin_path(), list_projects()) is None


def test_a_learner_who_only_earns_bronze_reaches_every_project() -> None:
    projects = list_projects()
    order = bronze_walk(builtin_path(), projects)
    assert sorted(order) == sorted(p.id for p in projects)
    assert len(order) == len(set(order)) >= 30
    # the walk starts where the path starts: level 1, then a medal at a time
    first = {p.id for p in projects if p.level == 1}
    assert set(order[: len(first)]) == first


def test_the_builtin_path_passes_its_own_checks() -> None:
    projects = list_projects()
    assert check(builtin_path(), projects) == []
    for p in projects:  # level 1 has no prerequisites; every other level has some
        assert bool(builtin_path().of(p.id)) == (p.level > 1), p.id
    assert main([]) == 0


def test_the_audited_shortcuts_are_gone() -> None:
    """One linear-models bronze used to open twelve projects; now a first medal opens only
    the projects that follow it, and movielens-top10 is on the path."""
    projects = list_projects()
    by_id = {p.id: p for p in projects}
    first = next(p for p in projects if p.level == 1 and "linear-models" in p.skills)
    opened = marks(builtin_path(), projects, {first.id: "bronze"})
    newly = [pid for pid, m in opened.items() if m.status == "recommended" and by_id[pid].level > 1]
    assert 0 < len(newly) <= 4
    assert all(by_id[pid].level == 2 for pid in newly)
    assert "movielens-top10" in bronze_walk(builtin_path(), projects)


# Statuses and reasons --------------------------------------------------------------------


def test_statuses_done_recommended_and_not_yet_with_reasons() -> None:
    path = _path()
    fresh = marks(path, PROJECTS, {})
    assert fresh["titanic"].status == "recommended" and fresh["titanic"].reason
    assert fresh["telco"].status == "not_yet"
    assert fresh["telco"].reason == "needs a medal on titanic"
    assert fresh["wage"].missing == ("a medal on diamonds or titanic",)

    after = marks(path, PROJECTS, {"titanic": "bronze"})
    assert after["titanic"].status == "done" and after["titanic"].reason == "finalized with bronze"
    assert after["telco"].status == "recommended" and after["telco"].after == ("titanic",)
    assert after["wage"].status == "recommended"
    # ames needs wage AND a medal on some level-2 project teaching categorical-encoding
    assert after["ames"].status == "not_yet"
    assert after["ames"].reason == (
        "needs a medal on wage; and a medal on a level-2 project teaching categorical-encoding"
    )


def test_a_skill_condition_is_met_by_any_project_of_that_level_teaching_it() -> None:
    path = _path()
    ames = next(p for p in PROJECTS if p.id == "ames")
    assert mark(path, ames, PROJECTS, {"wage": "bronze"}).status == "recommended"
    # telco teaches categorical-encoding at level 2 too, but wage itself is still missing
    m = mark(path, ames, PROJECTS, {"telco": "gold"})
    assert m.missing == ("a medal on wage",)
    # a higher-level project does not count for a level-2 condition
    only_hotel = {"hotel": "gold", "wage": None}
    assert mark(path, ames, PROJECTS, only_hotel).status == "not_yet"


def test_no_medal_and_a_lower_medal_than_asked_do_not_meet_a_prerequisite() -> None:
    path = _path()
    hotel = next(p for p in PROJECTS if p.id == "hotel")
    no_medal = marks(path, PROJECTS, {"titanic": None})
    assert no_medal["titanic"].status == "done"
    assert no_medal["titanic"].reason == "finalized, no medal"
    assert no_medal["telco"].status == "not_yet"
    assert mark(path, hotel, PROJECTS, {"ames": "bronze"}).reason == (
        "needs silver or better on ames"
    )
    assert mark(path, hotel, PROJECTS, {"ames": "silver"}).status == "recommended"


def test_condition_descriptions_read_as_sentences() -> None:
    assert Condition(("a", "b", "c")).describe() == "a medal on a, b or c"
    assert Condition(skill="ranking").describe() == "a medal on a project teaching ranking"
    both = Condition(("a",), "ranking", 3, "gold")
    assert both.describe() == "gold on a, or on a level-3 project teaching ranking"


def test_find_cycle_names_the_cycle_and_the_walk_stops_short() -> None:
    text = TOML + '[titanic]\nrequires = ["hotel"]\n'
    path = parse_path(text, "cyclic.toml", KNOWN)
    cycle = find_cycle(path, PROJECTS)
    assert cycle is not None and cycle[0] == cycle[-1]
    assert {"titanic", "telco"} <= set(cycle) or {"titanic", "wage"} <= set(cycle)
    problems = check(path, PROJECTS)
    assert any("cycle" in p for p in problems)
    assert any(p.startswith("titanic is level 1") for p in problems)
    assert any("hotel: a learner who only earns bronze" in p for p in problems)


# Clear errors ----------------------------------------------------------------------------


def test_unknown_ids_skills_and_keys_are_errors_naming_the_file_and_the_entry() -> None:
    text = """version = 1

[telco]
requires = ["titanc"]

[wage]
requires = [{ any = ["diamonds"], skill = "categorical-encodings", level = 7 }]

[nope]
requires = []

[ames]
requires = [{ medal = "platinum", after = "wage" }]
"""
    with pytest.raises(ConfigError) as info:
        parse_path(text, "my-path.toml", KNOWN)
    err = info.value
    assert "my-path.toml" in err.message
    found = [str(p) for p in err.problems]
    assert "my-path.toml, line 3: [telco] no project 'titanc'; did you mean 'titanic'?" in found
    assert any(
        "line 6: [wage] no skill 'categorical-encodings'; did you mean 'categorical-encoding'?" in p
        for p in found
    )
    assert any("line 6: [wage] level must be 1 to 5, not 7" in p for p in found)
    assert any("line 9: [nope] no project 'nope'" in p for p in found)
    assert any("[ames] medal must be bronze, silver or gold" in p for p in found)
    assert any("[ames] unknown key 'after'" in p for p in found)
    assert any("[ames] a condition needs `any`" in p for p in found)


def test_a_broken_file_and_a_missing_version_are_errors(tmp_path: Path) -> None:
    bad = tmp_path / "path.toml"
    bad.write_text("[telco\nrequires = 1\n")
    with pytest.raises(ConfigError, match=r"path\.toml is not valid TOML"):
        load_path(bad, KNOWN)
    bad.write_text('[telco]\nrequires = "titanic"\n')
    with pytest.raises(ConfigError) as info:
        load_path(bad, KNOWN)
    found = [str(p) for p in info.value.problems]
    assert any("version = 1" in p for p in found)
    assert any("[telco] expected a table with `requires = [...]`" in p for p in found)
    assert main([str(bad)]) == 1


def test_the_builtin_path_comes_from_the_project_folders() -> None:
    path = builtin_path()
    assert path.source == FOLDER_SOURCE
    for folder in project_folders():
        assert len(path.of(folder.recipe.id)) == len(folder.requires), folder.recipe.id

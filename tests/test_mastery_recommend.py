"""The recommender's rules on a small hand-made catalog."""

from __future__ import annotations

import re

from trackrecord.mastery import Attempt, ItemInfo, MasteryModel, ProjectInfo, recommend

PROJECTS = [
    ProjectInfo("titanic", "Titanic", ("classification",), 1, ("penguins",)),
    ProjectInfo("penguins", "Penguins", ("classification",), 1),
    ProjectInfo("houses", "Houses", ("regression",), 1),
    ProjectInfo("credit", "Credit", ("classification", "imbalanced-data"), 2),
    ProjectInfo("fraud", "Fraud", ("imbalanced-data",), 3),
    ProjectInfo("energy", "Energy", ("regression", "time-series"), 2),
]


def _model() -> MasteryModel:
    return MasteryModel({p.id: ItemInfo(p.id, p.skills, p.level) for p in PROJECTS})


def test_apply_elsewhere_sibling_comes_first_with_its_reason() -> None:
    model = _model()
    model.update(Attempt("ada", "titanic", 0.0, 1.0))
    recs = recommend(model, "ada", PROJECTS, {"titanic": 1.0}, just_finished="titanic")
    assert recs[0].project_id == "penguins"
    assert "apply_elsewhere" in recs[0].kinds
    assert recs[0].reason.endswith("apply elsewhere for titanic")
    assert re.match(r"classification: 0\.\d\d ± 0\.\d\d; \d+% chance of silver", recs[0].reason)


def test_sibling_link_works_from_either_side() -> None:
    model = _model()
    recs = recommend(model, "ada", PROJECTS, {"penguins": 1.0}, just_finished="penguins")
    assert recs[0].project_id == "titanic"
    assert "apply_elsewhere" in recs[0].kinds


def test_silver_projects_and_the_just_finished_one_are_not_recommended() -> None:
    model = _model()
    done = {"titanic": 1.0, "houses": 0.4}
    ids = {r.project_id for r in recommend(model, "ada", PROJECTS, done, k=10)}
    assert "titanic" not in ids
    assert "houses" in ids  # below silver: worth another try


def test_only_projects_the_path_recommends_are_proposed() -> None:
    model = _model()
    everything = {r.project_id for r in recommend(model, "ada", PROJECTS, {}, k=10)}
    assert everything == {p.id for p in PROJECTS}  # no path given: every project
    path = {"titanic", "houses", "credit"}  # e.g. credit's prerequisites met, penguins done
    after = recommend(model, "ada", PROJECTS, {"penguins": 0.3}, "penguins", k=10, recommended=path)
    assert {r.project_id for r in after} == path  # the sibling titanic too, as it is on the path
    credit = next(r for r in after if r.project_id == "credit")
    assert "prerequisites_met" in credit.kinds  # level 2: a step up the path
    titanic = next(r for r in after if r.project_id == "titanic")
    assert "prerequisites_met" not in titanic.kinds and "apply_elsewhere" in titanic.kinds
    off_path = recommend(model, "ada", PROJECTS, {}, "penguins", k=10, recommended={"houses"})
    assert [r.project_id for r in off_path] == ["houses"]  # a sibling off the path is not


def test_right_difficulty_and_uncertain_skill_rules_fire() -> None:
    model = _model()
    for t, y in enumerate((1.0, 0.0, 0.0)):  # a shaky start: level-1 projects near 50%
        model.update(Attempt("ada", "titanic", float(t), y))
    recs = recommend(model, "ada", PROJECTS, {"titanic": 0.5}, k=10)
    kinds = {kind for r in recs for kind in r.kinds}
    assert {"right_difficulty", "uncertain_skill"} <= kinds
    for r in recs:
        assert 0.0 < r.p_silver < 1.0
        if "right_difficulty" in r.kinds:
            assert 0.5 <= r.p_silver <= 0.7


def test_k_limits_the_list_and_unknown_projects_join_the_model() -> None:
    model = MasteryModel({})
    recs = recommend(model, "ada", PROJECTS, {}, k=2)
    assert len(recs) == 2
    assert set(model.items) == {p.id for p in PROJECTS}

"""Hosted copies of catalog projects are fresh (DESIGN.md, rule 7; issue 11, finding 1).

The attack: a learner builds titanic offline (`trackrecord catalog build titanic`), reads
private/solution.csv and submits it to the server's copy. A copy is re-split and re-keyed
with the server's secret, so that file is refused (its ids do not match), and even forced
onto the copy's ids it scores like chance; the copy's medal lines are measured again on its
own split and keep the rules.
"""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.test_web_support import server, signup_admin  # noqa: F401
from trackrecord import hosting
from trackrecord.bundle import Bundle, open_bundle
from trackrecord.catalog import splits
from trackrecord.catalog.build import build_project, sha256
from trackrecord.catalog.evaluate import check_split
from trackrecord.catalog.registry import get_recipe
from trackrecord.catalog.rekey import HostedCopy, build_hosted_copy, copy_key
from trackrecord.catalog.rules import violations
from trackrecord.catalog.stored import load_stored
from trackrecord.errors import InvalidSubmission
from trackrecord.scoring import score
from trackrecord.service import Service
from trackrecord.settings import Settings

SECRET_A = "server-a-" + "x" * 40
SECRET_B = "server-b-" + "y" * 40
SLUG = "titanic-hosted"  # the id create_from_catalog gives a copy without a new id
FEATURES = ["pclass", "sex", "age", "sibsp", "parch"]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hosted-copy")


@pytest.fixture(scope="module")
def local(work: Path) -> Bundle:
    """What a learner builds on a laptop: the built-in titanic with its public split."""
    return open_bundle(build_project(get_recipe("titanic"), work / "local"))


@pytest.fixture(scope="module")
def copy_a(work: Path) -> HostedCopy:
    return build_hosted_copy(get_recipe("titanic"), work / "a", SECRET_A, SLUG)


@pytest.fixture(scope="module")
def copy_b(work: Path) -> HostedCopy:
    return build_hosted_copy(get_recipe("titanic"), work / "b", SECRET_B, SLUG)


def _csv(bundle: Bundle, name: str) -> pd.DataFrame:
    path = bundle.solution_path if name == "solution" else bundle.public_dir / f"{name}.csv"
    return pd.read_csv(path)


def _write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


# The split helpers ---------------------------------------------------------------------


def _frame(n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "t": np.arange(n),
            "g": np.repeat(np.arange(n // 6), 6),
            "y": rng.integers(0, 2, n),
            "x": rng.normal(size=n),
        }
    )


def test_split_helpers_draw_from_the_key_and_only_inside_the_block() -> None:
    df = _frame()
    plain = splits.with_ids(df)
    with splits.rekeyed(copy_key(SECRET_A, "p", "c")):
        keyed = splits.with_ids(df)
        rnd = splits.random_split(keyed, test_size=0.3, seed=5, stratify="y")
        grp = splits.group_split(keyed, group="g", test_size=0.3, seed=5)
        tim = splits.time_split(keyed, order="t", test_rows=100)
        ordered = splits.usage(tim.test, seed=5, ordered=True)
        drawn = splits.usage(rnd.test, seed=5, stratify="y")
    assert splits.seed_for(5) == 5  # outside the block: the recipe's own seeds
    assert not plain["id"].equals(keyed["id"])
    assert sorted(keyed["id"]) == sorted(plain["id"])  # still a permutation of 1..n
    base = splits.random_split(keyed, test_size=0.3, seed=5, stratify="y")
    assert set(rnd.test["t"]) != set(base.test["t"])  # new test rows
    assert rnd.test["y"].mean() == pytest.approx(base.test["y"].mean(), abs=0.01)  # strata
    assert not set(grp.train["g"]) & set(grp.test["g"])  # whole groups on one side
    assert list(tim.test["t"]) == list(range(500, 600))  # the future stays the future
    assert tim.train["t"].max() < tim.test["t"].min()
    assert list(ordered) == list(splits.usage(tim.test, seed=5, ordered=True))
    assert not drawn.equals(splits.usage(rnd.test, seed=5, stratify="y"))


def test_a_time_split_recipe_keeps_its_test_rows_and_changes_its_ids() -> None:
    recipe = get_recipe("co2-mauna-loa")
    plain = recipe.build()
    with splits.rekeyed(copy_key(SECRET_A, recipe.id, "co2-class")):
        keyed = recipe.build()
    check_split(keyed)  # train ends before test starts
    column = keyed.split.column
    assert column is not None
    assert list(keyed.test[column].sort_values()) == list(plain.test[column].sort_values())
    assert set(keyed.answers["id"]) != set(plain.answers["id"])


# The attack ----------------------------------------------------------------------------


def test_the_local_answer_key_is_refused_by_the_copy(
    local: Bundle, copy_a: HostedCopy, tmp_path: Path
) -> None:
    answers = _csv(local, "solution").drop(columns="Usage")
    attack = _write(answers, tmp_path / "solution-as-submission.csv")
    assert score(local, attack).private == 1.0  # the attack works on the public build
    with pytest.raises(InvalidSubmission):
        score(copy_a.bundle, attack)  # but the copy's test ids are other ids


def test_the_local_answers_forced_onto_the_copy_score_like_chance(
    local: Bundle, copy_a: HostedCopy, tmp_path: Path
) -> None:
    # Every id 1..n names some passenger in the local build (train or test); an attacker
    # who answers each of the copy's ids with the local label of that id learns nothing.
    known = pd.concat([_csv(local, "train"), _csv(local, "solution")])[["id", "survived"]]
    label = dict(zip(known["id"], known["survived"], strict=True))
    forced = _csv(copy_a.bundle, "sample_submission")
    forced["survived"] = [label[i] for i in forced["id"]]
    result = score(copy_a.bundle, _write(forced, tmp_path / "forced.csv"))
    th, pub = copy_a.bundle.challenge.thresholds, copy_a.bundle.challenge.public_thresholds
    assert th.baseline is not None and pub.baseline is not None
    assert result.private < th.baseline and result.public < pub.baseline  # no bronze
    assert 0.35 < result.private < 0.7  # about what a coin with the class rates gets


def test_the_copy_has_new_ids_new_test_rows_and_a_new_split(
    local: Bundle, copy_a: HostedCopy
) -> None:
    mine, theirs = _csv(local, "test"), _csv(copy_a.bundle, "test")
    assert len(mine) == len(theirs)  # the recipe's own test size
    by_id_local = pd.concat([_csv(local, "train"), mine]).set_index("id")[FEATURES]
    by_id_copy = pd.concat([_csv(copy_a.bundle, "train"), theirs]).set_index("id")[FEATURES]
    same = (by_id_local.loc[by_id_copy.index] == by_id_copy).all(axis=1)
    assert same.mean() < 0.2  # an id names another passenger on the copy
    rows = Counter(map(tuple, mine[FEATURES].astype(str).to_numpy()))
    other = Counter(map(tuple, theirs[FEATURES].astype(str).to_numpy()))
    assert sum((rows & other).values()) / len(mine) < 0.75  # other passengers are tested
    usage = _csv(copy_a.bundle, "solution")["Usage"]
    assert (usage == "Public").mean() == pytest.approx(0.3, abs=0.01)


def test_two_servers_get_different_keys(copy_a: HostedCopy, copy_b: HostedCopy) -> None:
    a, b = _csv(copy_a.bundle, "solution"), _csv(copy_b.bundle, "solution")
    assert set(a["id"]) != set(b["id"])
    assert copy_key(SECRET_A, "titanic", SLUG) != copy_key(SECRET_B, "titanic", SLUG)
    assert copy_key(SECRET_A, "titanic", SLUG) != copy_key(SECRET_A, "titanic", "other")


# The copy's medal lines ------------------------------------------------------------------


def test_the_copy_is_measured_again_and_keeps_the_rules(copy_a: HostedCopy) -> None:
    recipe, entry = get_recipe("titanic"), copy_a.entry
    assert violations(recipe, entry) == []
    assert entry.solution_sha256 == sha256(copy_a.bundle.solution_path)  # measured on it
    challenge = copy_a.bundle.challenge
    assert challenge.id == SLUG
    assert challenge.thresholds == entry.thresholds
    assert challenge.public_thresholds == entry.public_thresholds
    assert challenge.score_se == entry.se and entry.se > 0
    stored = load_stored()["titanic"]
    measured = (entry.thresholds, entry.public_thresholds, entry.se)
    assert measured != (stored.thresholds, stored.public_thresholds, stored.se)


# Through the hosting service -----------------------------------------------------------


@pytest.fixture(scope="module")
def hosted_svc(work: Path) -> Iterator[Service]:
    settings = Settings(home=work / "server", hosted=True, secret_key=SECRET_A)
    with Service(settings) as svc:
        yield svc


def test_hosting_makes_a_fresh_copy_the_same_every_time(
    hosted_svc: Service, copy_a: HostedCopy, local: Bundle, tmp_path: Path
) -> None:
    said: list[str] = []
    info = hosting.create_from_catalog(
        hosted_svc,
        "titanic",
        slug=None,  # no new id: still a copy, never the built-in split
        created_by=None,
        settings=hosting.ChallengeSettings(),
        progress=said.append,
    )
    assert info.id == SLUG and any("measuring" in m for m in said)
    served = hosted_svc.bundle(SLUG)
    # The same server (secret, project, id) makes the same copy, bit for bit.
    assert served.solution_path.read_bytes() == copy_a.bundle.solution_path.read_bytes()
    assert info.thresholds == copy_a.entry.thresholds
    assert info.public_thresholds == copy_a.entry.public_thresholds
    assert info.score_se == copy_a.entry.se
    # The original and the copy share no file: neither answers for the other.
    original = hosted_svc.bundle("titanic")
    assert original.solution_path.read_bytes() == local.solution_path.read_bytes()
    for bundle, other in ((original, served), (served, original)):
        key = _csv(bundle, "solution").drop(columns="Usage")
        with pytest.raises(InvalidSubmission):
            score(other, _write(key, tmp_path / "key.csv"))
    with hosted_svc.session() as s:
        row = hosting._projects.find_row(s, "titanic")
        assert row is None or not row.hosted


def test_the_host_page_says_the_source_data_are_public(server: TestClient) -> None:
    signup_admin(server, "ada")
    page = server.get("/host").text
    assert "fresh copy" in page and "source data of built-in projects are public" in page
    assert "only code you re-run proves honest work" in page
    assert 'data-wait="Re-splitting and measuring' in page

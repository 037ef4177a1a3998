"""Bundles: read, check (every problem at once), pack, import, and zip safety."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import binary_bundle, labels_bundle, regression_bundle
from trackrecord.bundle import open_bundle, pack_bundle, v1
from trackrecord.bundle.check import check_bundle
from trackrecord.bundle.importers import ImportOptions, run_importer
from trackrecord.errors import InvalidBundle, NotFound
from trackrecord.scoring import score


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


@pytest.fixture
def bundle(tmp_path: Path):
    return binary_bundle(tmp_path / "b")


def edit_toml(root: Path, old: str, new: str) -> None:
    path = root / "challenge.toml"
    text = path.read_text()
    assert old in text, f"{old!r} not in challenge.toml"
    path.write_text(text.replace(old, new))


def test_clean_bundles_check_clean(tmp_path):
    for make in (binary_bundle, labels_bundle, regression_bundle):
        assert check_bundle(make(tmp_path / make.__name__).root) == []


def test_round_trip_of_challenge_toml(bundle):
    again, problems = v1.parse(v1.dump(bundle.challenge) | {})
    assert problems == [] and again == bundle.challenge


def test_every_problem_is_reported_at_once(bundle):
    root = bundle.root
    edit_toml(root, 'metric = "roc_auc"', 'metric = "roc_auk"')
    (root / "description.md").unlink()
    sol = pd.read_csv(root / "private/solution.csv")
    sol.loc[3, "Usage"] = "Secret"
    sol.to_csv(root / "private/solution.csv", index=False)
    problems = messages(check_bundle(root))
    assert "unknown metric 'roc_auk'" in problems
    assert "description.md: required file is missing" in problems


def test_solution_problems_are_located(bundle):
    root = bundle.root
    sol = pd.read_csv(root / "private/solution.csv")
    sol.loc[3, "Usage"] = "Secret"
    sol.loc[5, "id"] = 1
    sol.to_csv(root / "private/solution.csv", index=False)
    text = messages(check_bundle(root))
    assert (
        "private/solution.csv, line 5, column 'Usage': "
        "Usage must be one of Public, Private, Ignored" in text
    )
    assert "private/solution.csv, line 7, column 'id': id is not in public/test.csv" in text
    assert (
        "public/test.csv, line 7, column 'id': test id has no row in private/solution.csv" in text
    )


def test_sample_submission_columns_must_match(bundle):
    root = bundle.root
    sample = pd.read_csv(root / "public/sample_submission.csv").rename(columns={"y": "target"})
    sample.to_csv(root / "public/sample_submission.csv", index=False)
    text = messages(check_bundle(root))
    assert (
        "public/sample_submission.csv, line 1: "
        "columns are ['id', 'target'], expected exactly ['id', 'y']" in text
    )


def test_thresholds_in_the_wrong_order_for_the_direction(tmp_path):
    maximize = binary_bundle(tmp_path / "max").root
    edit_toml(maximize, "reference = 0.7", "reference = 0.5")
    assert "reference (0.5) must be higher than baseline (0.55)" in messages(check_bundle(maximize))
    minimize = regression_bundle(tmp_path / "min").root
    edit_toml(minimize, "gold = 8.0", "gold = 12.0")
    assert "gold (12) must be lower than reference (10)" in messages(check_bundle(minimize))


def test_single_class_in_a_split(bundle):
    root = bundle.root
    sol = pd.read_csv(root / "private/solution.csv")
    sol.loc[sol["Usage"] == "Private", "y"] = "yes"
    sol.to_csv(root / "private/solution.csv", index=False)
    assert "the Private split has a single class, but roc_auc needs two" in messages(
        check_bundle(root)
    )


def test_answer_column_leaked_into_test(bundle):
    root = bundle.root
    test = pd.read_csv(root / "public/test.csv")
    test["y"] = "no"
    test.to_csv(root / "public/test.csv", index=False)
    assert "column 'y' is an answer column and must not be in the test data" in messages(
        check_bundle(root)
    )


def test_bad_toml_fields_are_all_named(bundle):
    root = bundle.root
    edit_toml(root, 'task = "binary-classification"', 'task = "astrology"')
    edit_toml(root, "difficulty = 3", "difficulty = 9")
    edit_toml(root, "per_day = 5", "per_day = 0")
    text = messages(check_bundle(root))
    assert "task 'astrology' is not one of" in text
    assert "difficulty must be a whole number from 1 to 5, got 9" in text
    assert "[limits] per_day must be a whole number >= 1, got 0" in text


def test_broken_toml(bundle):
    (bundle.root / "challenge.toml").write_text("format_version = 1\n[challenge\n")
    assert "challenge.toml: is not valid TOML" in messages(check_bundle(bundle.root))


def test_pack_is_clean_deterministic_and_scores_the_same(bundle, tmp_path):
    first = pack_bundle(bundle.root, tmp_path / "one.zip")
    second = pack_bundle(bundle.root, tmp_path / "two.zip")
    assert first.read_bytes() == second.read_bytes()
    assert check_bundle(first, cache_dir=tmp_path / "cache") == []
    sub = bundle.root / "public/sample_submission.csv"
    frame = pd.read_csv(sub)
    frame["y"] = range(len(frame))
    frame["y"] = frame["y"] / len(frame)
    frame.to_csv(tmp_path / "s.csv", index=False)
    from_dir = score(bundle, tmp_path / "s.csv")
    from_zip = score(open_bundle(first, cache_dir=tmp_path / "cache"), tmp_path / "s.csv")
    assert (from_dir.public, from_dir.private) == (from_zip.public, from_zip.private)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/evil", "a/../../evil", "C:/evil"])
def test_unsafe_zip_members_are_refused_before_writing(tmp_path, member):
    bad = _zip(tmp_path / "bad.zip", {"challenge.toml": b"", member: b"x"})
    cache = tmp_path / "cache"
    problems = messages(check_bundle(bad, cache_dir=cache))
    assert repr(member) in problems
    with pytest.raises(InvalidBundle, match="not a safe bundle zip"):
        open_bundle(bad, cache_dir=cache)
    assert not (tmp_path / "evil.txt").exists() and not cache.exists()


def test_not_a_zip(tmp_path):
    path = tmp_path / "b.zip"
    path.write_bytes(b"PK\x03\x04 but not really")
    assert "is not a readable zip file" in messages(check_bundle(path))


@settings(max_examples=30, deadline=None)
@given(
    name=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=40,
    )
)
def test_zip_check_never_accepts_an_escaping_name(tmp_path_factory, name):
    from trackrecord.bundle.reader import zip_problems

    path = _zip(tmp_path_factory.mktemp("z") / "b.zip", {name: b"x"})
    with zipfile.ZipFile(path) as zf:
        stored = zf.infolist()[0].filename
        problems = zip_problems(zf, "b.zip")
    target = (Path("/srv/root") / stored).resolve()
    escapes = Path("/srv/root") not in target.parents and target != Path("/srv/root")
    if escapes:
        assert problems, f"{stored!r} escapes but was accepted"


# ---- importers ------------------------------------------------------------------------------


def kaggle_folder(tmp_path: Path, bundle, with_solution: bool) -> Path:
    folder = tmp_path / "kaggle-comp"
    folder.mkdir()
    public = bundle.root / "public"
    shutil.copy(public / "test.csv", folder / "test.csv")
    shutil.copy(public / "sample_submission.csv", folder / "sample_submission.csv")
    if with_solution:
        shutil.copy(public / "train.csv", folder / "train.csv")
        shutil.copy(bundle.solution_path, folder / "solution.csv")
    else:
        train = pd.read_csv(public / "test.csv").merge(
            pd.read_csv(bundle.solution_path)[["id", "y"]]
        )
        train.to_csv(folder / "train.csv", index=False)
    return folder


def test_import_kaggle_with_solution(bundle, tmp_path):
    folder = kaggle_folder(tmp_path, bundle, with_solution=True)
    dest = run_importer("kaggle", folder, ImportOptions(metric="roc_auc", dest=tmp_path / "out"))
    assert check_bundle(dest) == []
    ch = open_bundle(dest).challenge
    assert (ch.id, ch.labels, ch.task) == ("kaggle-comp", ("no", "yes"), "binary-classification")


def test_import_kaggle_from_train_is_seeded(bundle, tmp_path):
    folder = kaggle_folder(tmp_path, bundle, with_solution=False)
    a = run_importer(
        "kaggle",
        folder,
        ImportOptions(metric="roc_auc", dest=tmp_path / "a", from_train=True, seed=7),
    )
    b = run_importer(
        "kaggle",
        folder,
        ImportOptions(metric="roc_auc", dest=tmp_path / "b", from_train=True, seed=7),
    )
    assert check_bundle(a) == []
    assert (a / "private/solution.csv").read_bytes() == (b / "private/solution.csv").read_bytes()
    assert "y" not in pd.read_csv(a / "public/test.csv").columns


def test_import_kaggle_without_solution_says_what_to_do(bundle, tmp_path):
    folder = kaggle_folder(tmp_path, bundle, with_solution=False)
    with pytest.raises(InvalidBundle, match=r"solution\.csv is missing"):
        run_importer("kaggle", folder, ImportOptions(metric="roc_auc", dest=tmp_path / "o"))


def test_import_hf(bundle, tmp_path):
    folder = tmp_path / "hf-comp"
    folder.mkdir()
    sol = pd.read_csv(bundle.solution_path)
    sol["split"] = sol.pop("Usage").str.lower()
    sol.to_csv(folder / "solution.csv", index=False)
    dest = run_importer(
        "hf", folder / "solution.csv", ImportOptions(metric="roc_auc", dest=tmp_path / "out")
    )
    assert check_bundle(dest) == []
    sol.loc[0, "split"] = "secret"
    sol.to_csv(folder / "solution.csv", index=False)
    with pytest.raises(
        InvalidBundle, match="split values must be public or private, found 'secret'"
    ):
        run_importer(
            "hf", folder / "solution.csv", ImportOptions(metric="roc_auc", dest=tmp_path / "x")
        )


def test_unknown_importer(tmp_path):
    with pytest.raises(NotFound, match="known importers: hf, kaggle"):
        run_importer("codalab", tmp_path, ImportOptions(metric="accuracy", dest=tmp_path / "x"))

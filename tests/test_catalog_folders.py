"""Project folders (catalog/folders.py): the built-in projects as folders, clear errors for a
broken folder (naming the folder and the file), and a host's folder added to the catalog."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from trackrecord.bundle import open_bundle
from trackrecord.catalog import build_catalog, get_project, list_projects, registry
from trackrecord.catalog.briefs import HEADINGS, brief_markdown, parse_brief_text
from trackrecord.catalog.folders import BUILTIN_DIR, load_folder, read_dir
from trackrecord.catalog.folders import main as folders_main
from trackrecord.catalog.path import folder_path
from trackrecord.errors import ConfigError

TITANIC = BUILTIN_DIR / "titanic"


@pytest.fixture
def scratch_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Registrations made in a test are forgotten after it."""
    registry.all_recipes()  # the built-ins first
    monkeypatch.setattr(registry, "_RECIPES", dict(registry._RECIPES))
    monkeypatch.setattr(registry, "_FOLDERS", dict(registry._FOLDERS))
    monkeypatch.setattr(registry, "_DIRS", list(registry._DIRS))
    yield


def _copy(tmp_path: Path, name: str = "my-titanic") -> Path:
    """A host's folder of projects holding a copy of titanic under another id."""
    folder = tmp_path / "projects" / name
    shutil.copytree(TITANIC, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _problems(err: pytest.ExceptionInfo[ConfigError]) -> list[str]:
    return [str(p) for p in err.value.problems]


# --- the built-in folders ------------------------------------------------------------------


def test_builtin_projects_are_folders_registered_as_recipes() -> None:
    folders = registry.project_folders()
    assert len(folders) >= 1 and registry.project_folder("titanic") is not None
    ids = {p.id for p in list_projects()}
    for folder in folders:
        assert folder.recipe.id == folder.path.name and folder.recipe.id in ids
        assert registry.get_recipe(folder.recipe.id) is folder.recipe
        for file in folder.files:
            assert file.is_file(), file
        assert not (folder.path / "__init__.py").exists()


def test_titanic_reads_as_its_recipe_did() -> None:
    folder = load_folder(TITANIC)
    r = folder.recipe
    assert (r.id, r.task, r.metric, r.level, r.version) == (
        "titanic",
        "binary-classification",
        "accuracy",
        1,
        "2",
    )
    assert r.skills == ("baselines", "missing-data", "categorical-encoding", "trees")
    assert folder.split == {"target": "survived", "test_size": 0.35, "seed": 11, "stratify": True}
    assert folder.brief.columns["pclass"] == "ticket class (1st, 2nd, 3rd)"
    assert len(folder.brief.pitfalls) == 4
    assert folder.baseline.code.startswith("from sklearn.compose import make_column_transformer")
    assert get_project("titanic").thresholds.baseline is not None  # stored numbers in force


def test_every_builtin_brief_survives_a_round_trip_through_markdown() -> None:
    for folder in registry.project_folders():
        text = brief_markdown(folder.brief)
        assert parse_brief_text(text, folder.path / "brief.md", []) == folder.brief, folder.path
        assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == list(HEADINGS)


# --- clear errors, naming the folder and the file -------------------------------------------


def _error(folder: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_folder(folder)
    assert str(folder) in info.value.message
    return info.value


def test_a_malformed_project_toml(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "project.toml"
    toml.write_text(toml.read_text().replace('title = "Titanic', "title = Titanic"))
    err = _error(folder)
    assert len(err.problems) == 1
    assert err.problems[0].file == str(toml)
    assert "not valid TOML" in err.problems[0].message and "line 1" in err.problems[0].message


def test_unknown_keys_are_named_with_their_line_and_a_suggestion(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "project.toml"
    text = toml.read_text().replace("gold_margin =", "gold_margin_ =")
    text = text.replace("seed = 11", "sed = 11").replace("proba = false", "probability = false")
    toml.write_text(text + '\n[extra]\nnote = "x"\n')
    found = [str(p) for p in _error(folder).problems]
    lines = text.splitlines()
    at = lines.index("gold_margin_ = 0.015") + 1
    assert f"{toml}, line {at}: unknown key 'gold_margin_'; did you mean 'gold_margin'?" in found
    assert f"{toml}: missing key 'gold_margin'" in found
    assert any("[split] unknown key 'sed'; did you mean 'seed'?" in p for p in found)
    assert any("[split] needs `seed`" in p for p in found)
    assert any("[field] unknown key 'probability'; did you mean 'proba'?" in p for p in found)
    assert any("unknown key 'extra'" in p for p in found)


def test_wrong_values_are_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "project.toml"
    text = (
        toml.read_text().replace('version = "2"', "version = 2").replace("level = 1", "level = 9")
    )
    text = text.replace('"trees"]', '"tree"]').replace('task = "binary', 'task = "binar')
    toml.write_text(text.replace('kind = "classification"', 'kind = "forest"'))
    found = "\n".join(str(p) for p in _error(folder).problems)
    assert 'version must be a non-empty string, not 2 (a string: version = "1")' in found
    assert "level must be 1 to 5, not 9" in found
    assert "no skill 'tree' in the vocabulary; did you mean 'trees'?" in found
    assert (
        "task 'binary-classification'" not in found
        and "did you mean 'binary-classification'" in found
    )
    assert "[field] kind must be one of classification, regression, text, cluster" in found


def test_a_missing_or_misplaced_brief_heading(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    brief = folder / "brief.md"
    original = brief.read_text()
    brief.write_text(original.replace("## Target\n", ""))
    problems = _error(folder).problems
    assert [p.file for p in problems] == [str(brief)]
    assert "missing heading `## Target`" in problems[0].message
    brief.write_text(original.replace("## Metric", "## Metrics"))
    found = [str(p) for p in _error(folder).problems]
    at = original.splitlines().index("## Metric") + 1
    assert any(f"{brief}, line {at}: unknown heading `## Metrics`" in p for p in found)
    brief.write_text(original.replace("## Pitfalls", "## Xx").replace("## Columns", "## Pitfalls"))
    found = [str(p) for p in _error(folder).problems]
    assert any("unknown heading `## Xx`" in p for p in found)
    assert any("missing heading `## Columns`" in p for p in found)
    bad_column = original.replace("- `sex`: female or male", "- sex: female or male")
    brief.write_text(bad_column)
    at = original.splitlines().index("- `sex`: female or male") + 1
    assert any(f"line {at}: a column item reads" in str(p) for p in _error(folder).problems)


def test_a_prepare_py_defining_neither_load_nor_prepare(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    prepare = folder / "prepare.py"
    prepare.write_text(prepare.read_text().replace("def load(", "def load_data("))
    problems = _error(folder).problems
    assert [p.file for p in problems] == [str(prepare)]
    assert problems[0].message.startswith("defines neither load()")
    prepare.write_text("def load(:\n")
    problems = _error(folder).problems
    assert problems[0].file == str(prepare) and problems[0].line == 1
    assert "not valid Python" in problems[0].message


def test_prepare_py_and_project_toml_must_agree(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    prepare = folder / "prepare.py"
    prepare.write_text(
        prepare.read_text().replace("def load(", "def prepare(")
        + "\n\ndef field(data):\n    return ()\n"
    )
    toml = folder / "project.toml"
    found = [str(p) for p in _error(folder).problems]
    assert (
        f"{toml}: [split] goes with load(); prepare.py defines prepare(), which splits itself"
        in found
    )
    assert f"{toml}: [field] and prepare.py's field() both give the field: keep one" in found
    prepare.write_text("def load():\n    return None\n")
    toml.write_text(toml.read_text().split("[split]")[0])
    found = [str(p) for p in _error(folder).problems]
    assert f"{toml}: prepare.py defines load(), so project.toml needs a [split] table" in found
    assert any("no field: add a [field] table" in p for p in found)


def test_missing_files_and_a_bad_folder_name(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "My_Titanic")
    (folder / "reference.py").unlink()
    found = [str(p) for p in _error(folder).problems]
    assert f"{folder / 'reference.py'}: no reference.py in the folder" in found
    assert any("the folder name 'My_Titanic' is the project id" in p for p in found)


def test_a_folder_of_folders_reports_every_broken_one(tmp_path: Path) -> None:
    good = _copy(tmp_path, "good-one")
    bad = _copy(tmp_path, "bad-one")
    (bad / "brief.md").write_text("## Source\n\nsomewhere\n")
    with pytest.raises(ConfigError, match=r"1 project folder\(s\) in .* are not valid: bad-one"):
        read_dir(good.parent)
    with pytest.raises(ConfigError, match="does not exist"):
        read_dir(tmp_path / "nowhere")


def test_the_checker_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert folders_main([]) == 0
    assert "no problems" in capsys.readouterr().out
    bad = _copy(tmp_path)
    (bad / "baseline.py").write_text("model = None\n")
    assert folders_main([str(bad.parent)]) == 1
    err = capsys.readouterr().err
    assert f"{bad / 'baseline.py'}: the snippet never sets `submission`" in err


# --- a host's projects -----------------------------------------------------------------------


def _host_dir(tmp_path: Path) -> Path:
    """A host's folder of projects: titanic copied as `my-titanic` (level 2, after titanic),
    with a small field from prepare.py's field() instead of [field], to build quickly."""
    folder = _copy(tmp_path)
    toml = folder / "project.toml"
    text = toml.read_text().replace('title = "Titanic: who survived?"', 'title = "My Titanic"')
    text = text.replace("level = 1", 'level = 2\nrequires = ["titanic"]')
    toml.write_text(text.split("[field]")[0])
    with (folder / "prepare.py").open("a") as f:
        f.write(
            "\n\ndef field(data):\n"
            "    from trackrecord.catalog.fields import classification_field\n\n"
            "    return classification_field(len(data.train), proba=False)[:4]\n"
        )
    return folder.parent


def test_a_hosts_folder_joins_the_catalog_and_builds(
    scratch_registry: None, tmp_path: Path
) -> None:
    root = _host_dir(tmp_path)
    stored = tmp_path / "numbers.json"
    assert registry.add_projects_dir(root, stored=stored) == ["my-titanic"]
    assert registry.add_projects_dir(root) == []  # once per folder
    meta = get_project("my-titanic")
    assert meta.title == "My Titanic" and meta.thresholds.baseline is None  # not measured yet
    assert "my-titanic" in {p.id for p in list_projects()}
    assert [c.projects for c in folder_path().of("my-titanic")] == [("titanic",)]

    built = build_catalog(tmp_path / "bundles", ["my-titanic"])["my-titanic"]
    challenge = open_bundle(built).challenge
    assert challenge.title == "My Titanic" and challenge.metric == "accuracy"
    th = challenge.thresholds
    assert th.baseline is not None and th.reference is not None and th.reference > th.baseline
    assert [f.name for f in challenge.field][2:] == [
        "dummy: class frequencies",
        "logistic regression",
        "k-nearest neighbours (k=25)",
        "Gaussian naive Bayes",
    ]
    # measured on the first build, kept in the host's file (never the catalog's stored.json)
    assert get_project("my-titanic").thresholds == th
    assert "my-titanic" in json.loads(stored.read_text())
    assert "my-titanic" not in (BUILTIN_DIR.parent / "stored.json").read_text()


def test_editing_a_folder_rebuilds_its_bundle(scratch_registry: None, tmp_path: Path) -> None:
    root = _host_dir(tmp_path)
    registry.add_projects_dir(root)
    first = build_catalog(tmp_path / "bundles", ["my-titanic"])["my-titanic"]
    measured = (root / "stored.json").read_text()
    brief = root / "my-titanic" / "brief.md"
    brief.write_text(brief.read_text().replace("RMS Titanic", "RMS Titanic (White Star Line)"))
    # read again, as a server restarted after the edit would
    registry._RECIPES.pop("my-titanic")
    registry._FOLDERS.pop("my-titanic")
    registry._DIRS.clear()
    registry.add_projects_dir(root)
    build_catalog(tmp_path / "bundles", ["my-titanic"])
    assert "White Star Line" in (first / "description.md").read_text()
    assert (root / "stored.json").read_text() == measured  # same data: nothing re-measured


def test_serve_and_catalog_add_the_projects_folder(
    scratch_registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from trackrecord.cli import app

    root = _host_dir(tmp_path)
    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: started.append(target))
    runner = CliRunner()
    home = ["--home", str(tmp_path / "home")]
    result = runner.invoke(app, ["serve", "--projects", str(root), *home])
    assert result.exit_code == 0, result.output
    assert f"1 project(s) from {root}: my-titanic" in result.stderr
    assert len(started) == 1 and "my-titanic" in registry._RECIPES

    monkeypatch.setenv("TRACKRECORD_PROJECTS_DIR", str(root))
    listed = runner.invoke(app, ["catalog", "--json", *home])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    mine = next(r for r in rows if r["project"]["id"] == "my-titanic")
    assert mine["project"]["title"] == "My Titanic"
    assert mine["path"]["status"] == "not_yet"
    assert mine["path"]["reason"] == "needs a medal on titanic"


def test_a_learner_starts_and_submits_to_a_hosts_project(
    scratch_registry: None, tmp_path: Path
) -> None:
    from trackrecord.service.core import Service
    from trackrecord.service.projects import PROJECTS_STORED
    from trackrecord.settings import load_settings

    root = _host_dir(tmp_path)
    home = tmp_path / "home"
    settings = load_settings({"home": home, "projects_dir": root}, environ={})
    with Service(settings) as svc:
        user = svc.local_user_id()
        listed = {e.project.id for e in svc.list_catalog(user)}
        assert {"my-titanic", "titanic"} <= listed
        started = svc.start(user, "my-titanic", tmp_path / "work")  # built and measured here
        assert (tmp_path / "work").is_dir() and started is not None
        assert "my-titanic" in json.loads((home / PROJECTS_STORED).read_text())
        sample = next((tmp_path / "work").rglob("sample_submission.csv"))
        result = svc.submit(user, "my-titanic", sample)
        lines = result.medal_progress
        assert lines.baseline is not None and lines.reference is not None  # medals can be won
        assert lines.medal is None  # the sample earns nothing
        assert svc.project("my-titanic").public_thresholds.baseline == lines.baseline


def test_serve_refuses_a_broken_projects_folder(
    scratch_registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from trackrecord.cli import app

    root = _host_dir(tmp_path)
    (root / "my-titanic" / "brief.md").write_text("## Source\n\nsomewhere\n")
    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: started.append(target))
    home = ["--home", str(tmp_path / "home")]
    result = CliRunner().invoke(app, ["serve", "--projects", str(root), *home])
    assert result.exit_code == 1 and not started
    assert "my-titanic" in result.stderr and "missing heading `## About`" in result.stderr
    assert str(root / "my-titanic" / "brief.md") in result.stderr
    assert "my-titanic" not in registry._RECIPES


def test_a_host_project_cannot_take_a_builtin_id(scratch_registry: None, tmp_path: Path) -> None:
    folder = _copy(tmp_path, "titanic")
    with pytest.raises(ConfigError) as info:
        registry.add_projects_dir(folder.parent)
    assert _problems(info) == [f"{folder}: project id 'titanic' is already in the catalog"]
    assert registry.project_folder("titanic") is not None
    assert registry.project_folder("titanic").path == TITANIC  # type: ignore[union-attr]


def test_an_unknown_prerequisite_names_the_project_toml(
    scratch_registry: None, tmp_path: Path
) -> None:
    folder = _copy(tmp_path)
    toml = folder / "project.toml"
    text = toml.read_text().replace("level = 1", 'level = 2\nrequires = ["titanc"]')
    toml.write_text(text)
    registry.add_projects_dir(folder.parent)
    with pytest.raises(ConfigError) as info:
        folder_path()
    at = text.splitlines().index('requires = ["titanc"]') + 1
    assert _problems(info) == [
        f"{toml}, line {at}: requires: no project 'titanc'; did you mean 'titanic'?"
    ]

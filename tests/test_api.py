"""The notebook API: `import trackrecord as tr`, on the same service path as the CLI."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import trackrecord as tr
from tests.conftest import SECRET_BASE, FakeCatalog, regression_file
from trackrecord import api
from trackrecord.bundle import Bundle
from trackrecord.errors import InvalidSubmission
from trackrecord.service import Service
from trackrecord.settings import Settings


@pytest.fixture(autouse=True)
def local(monkeypatch: pytest.MonkeyPatch, home: Path, catalog: FakeCatalog) -> Iterator[None]:
    def new_service(settings: Settings) -> Service:
        return Service(settings, catalog=catalog)

    monkeypatch.setattr(api, "_new_service", new_service)
    monkeypatch.setattr(api, "_SERVICES", {})
    yield
    for svc in api._SERVICES.values():
        svc.close()


def _predictions(bundle: Bundle, offset: float) -> pd.DataFrame:
    test = pd.read_csv(bundle.public_dir / "test.csv")
    return pd.DataFrame(
        {"id": test["id"], "y": [SECRET_BASE + i + offset for i in range(len(test))]}
    )


def test_all_names_are_exported() -> None:
    assert set(tr.__all__) == {
        "load", "submit", "status", "submissions", "finalize", "results", "score",
        "code_jobs",
    }  # fmt: skip
    for name in tr.__all__:
        assert callable(getattr(tr, name))
    with pytest.raises(AttributeError):
        tr.nope  # type: ignore[attr-defined]  # noqa: B018


def test_import_is_light() -> None:
    heavy = "('pandas', 'sqlalchemy', 'sklearn')"
    code = f"import sys, trackrecord; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_gives_train_and_test() -> None:
    train, test = tr.load("toy-reg")
    assert "y" in train.columns and "y" not in test.columns and len(test) == 20


def test_submit_a_dataframe_then_a_path(bundles: dict[str, Bundle], tmp_path: Path) -> None:
    first = tr.submit("toy-reg", _predictions(bundles["toy-reg"], 2.5))
    assert first.public_score == pytest.approx(2.5)
    text = repr(first)
    assert "Public score" in text and "2.5" in text and "Left today" in text
    html = first._repr_html_()
    assert html.startswith("<table>") and "<th" in html and "Best so far" in html
    second = tr.submit("toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], 0.5))
    assert second.improved and second.left_today == 3
    table = tr.submissions("toy-reg")
    assert list(table["filename"]) == ["dataframe.csv", "s.csv"]
    assert table["private_score"].isna().all()


def test_the_same_store_as_the_cli(home: Path, bundles: dict[str, Bundle]) -> None:
    tr.submit("toy-reg", _predictions(bundles["toy-reg"], 1.5), note="from a notebook")
    with Service(Settings(home=home), catalog=FakeCatalog(list(bundles.values()))) as svc:
        [view] = svc.submissions(svc.local_user_id(), "toy-reg")
    assert view.note == "from a notebook" and view.public_score == pytest.approx(1.5)


def test_invalid_submission_raises_with_problems(bundles: dict[str, Bundle]) -> None:
    frame = _predictions(bundles["toy-reg"], 0.0).rename(columns={"y": "prediction"})
    with pytest.raises(InvalidSubmission) as info:
        tr.submit("toy-reg", frame)
    assert info.value.problems
    with pytest.raises(InvalidSubmission, match="DataFrame or a file path"):
        tr.submit("toy-reg", 42)  # type: ignore[arg-type]


def test_finalize_and_status(bundles: dict[str, Bundle]) -> None:
    tr.submit("toy-reg", _predictions(bundles["toy-reg"], 0.5))
    final = tr.finalize("toy-reg", confirm=True)
    assert final.medal == "gold" and "Private score" in repr(final)
    status = tr.status()
    assert status.finalized == 1 and "toy-reg" in repr(status)
    assert "<table>" in status._repr_html_()


def test_finalize_asks_for_confirm_first(bundles: dict[str, Bundle]) -> None:
    reg = bundles["toy-reg"]
    for offset in (2.5, 1.1):  # 1.1: public gold (line 1.2), private silver (line 1.0)
        tr.submit("toy-reg", _predictions(reg, offset))
    first = tr.submit("toy-reg", _predictions(reg, 1.1))
    assert first.submission.number == 3
    assert "gold reached" in repr(first) and "public score vs the public lines" in repr(first)
    preview = tr.finalize("toy-reg", picks=[1])
    assert "confirm=True" in repr(preview) and "#1 (public 2.5)" in repr(preview)
    assert tr.status().finalized == 0
    final = tr.finalize("toy-reg", picks=[2], confirm=True)
    assert final.medal == "silver" and final.submission_number == 2
    assert "bronze below 3, silver 2 or lower, gold below 1" in repr(final)
    practice = tr.submit("toy-reg", _predictions(reg, 0.5))
    assert practice.practice and "gold reached" not in repr(practice)
    table = tr.submissions("toy-reg")
    assert list(table["number"]) == [1, 2, 3, 4]
    assert list(table["practice"]) == [False, False, False, True]
    again = tr.results("toy-reg")
    assert again.medal == "silver" and again.reference_code is None


def test_score_a_bundle_you_hold(bundles: dict[str, Bundle]) -> None:
    result = tr.score(bundles["toy-reg"].root, _predictions(bundles["toy-reg"], 1.0))
    assert result.public == pytest.approx(1.0) and result.private == pytest.approx(1.0)

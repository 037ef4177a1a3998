"""The learning path on the web catalog page: recommended, not yet (with the reason), done."""

from __future__ import annotations

import re
from pathlib import Path

from trackrecord.bundle import Bundle
from trackrecord.catalog.path import LearningPath, parse_path
from trackrecord.service import Service
from trackrecord.settings import Settings

from .conftest import FakeCatalog, regression_file
from .test_web_support import client_for


class PathCatalog(FakeCatalog):
    def learning_path(self) -> LearningPath:
        text = 'version = 1\n[toy-cls]\nrequires = ["toy-reg"]\n'
        return parse_path(text, "toy-path.toml", set(self.bundles))


def _card(html: str, project_id: str) -> str:
    found = re.search(
        rf'<a class="card project [^"]*" href="/projects/{project_id}">(.*?)</a>', html, re.S
    )
    assert found, project_id
    return found.group(0)


def test_the_catalog_page_shows_recommended_not_yet_and_done(
    settings: Settings, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    catalog = PathCatalog(list(bundles.values()))
    with client_for(settings, catalog) as client:
        page = client.get("/").text
        reg, cls = _card(page, "toy-reg"), _card(page, "toy-cls")
        assert "path-recommended" in reg and ">recommended<" in reg
        assert "path-not_yet" in cls and "not yet recommended" in cls
        assert "Not yet: needs a medal on toy-reg." in cls
        assert "1 recommended for you" in page and "nothing is locked" in page

        with Service(settings, catalog=catalog) as svc:
            user = svc.local_user_id()
            svc.submit(
                user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], 2.5)
            )
            svc.finalize(user, "toy-reg")

        page = client.get("/").text
        reg, cls = _card(page, "toy-reg"), _card(page, "toy-cls")
        assert "path-done" in reg and 'class="medal bronze"' in reg and "done" in reg
        assert "path-recommended" in cls and "Recommended after toy-reg." in cls
        filtered = client.get("/?task=binary-classification").text
        assert "Recommended after toy-reg." in filtered
        assert 'href="/projects/toy-reg">' not in filtered  # no card; the ladder keeps its node

"""converter.selflinks: which link opens the map's own file, as a browser follows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.selflinks import opens_itself


@pytest.mark.parametrize(("link", "served", "opens"), [
    ("map.svg", False, "map.svg"), ("./map.svg?v=2", False, "map.svg"),
    ("../site/map.svg", False, "map.svg"), ("%2E/map.svg", False, "map.svg"),
    ("./x/../map.svg", False, "map.svg"), ("map.svg/", False, None),
    ("map.svg#muscle-arm", False, None), ("./", False, None), ("../site", False, None),
    ("./", True, "the folder of map.svg"), ("../site", True, "the folder of map.svg"),
    (".?m=arm", True, "the folder of map.svg"), ("../site/#top", True, None),
    ("../other/map.svg", True, None), ("https://x.org/site/map.svg", False, None),
    ("arm.svg", True, None)])
def test_a_link_opens_the_file_itself_or_its_folder_as_a_browser_resolves_it(
        link: str, served: bool, opens: str | None, tmp_path: Path) -> None:
    """A link followed from ``site/map.svg`` opens the file itself (its name said), its
    folder (said only where a web server answers the folder with that file), or
    neither: another file, or a place in the file (a fragment)."""
    assert opens_itself(link, tmp_path / "site", "map.svg", served) == opens

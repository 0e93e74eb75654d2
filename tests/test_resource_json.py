"""Every JSON file the package ships is read as written: a key given twice in one object (what
a careless merge of two branches' additions leaves) would be dropped silently by `json.load`,
with the first entry's wording lost and no test of it failing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[1] / "assistant" / "resources"
FILES = sorted(RESOURCES.rglob("*.json"))


def _no_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"keys given twice in one object: {repeated}"
    return dict(pairs)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(RESOURCES)) for p in FILES])
def test_no_object_in_a_resource_gives_a_key_twice(path: Path) -> None:
    json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_repeats)


def test_the_check_sees_a_repeated_key() -> None:
    with pytest.raises(AssertionError, match="'id'"):
        json.loads('[{"id": "a", "title": "x", "id": "b"}]', object_pairs_hook=_no_repeats)

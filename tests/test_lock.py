"""What the agent installs is what was tested: requirements-lock.txt, and the venv built from it.

The lock itself is checked everywhere (pins inside pyproject's ranges, every file hash-checked).
The environment the suite runs in is compared with it (`pip freeze --all`) when .ci/install made
it: that script marks the venv with the lock's sha256. CI sets PORTAL_ASSISTANT_CI=1
(.ci/run), so there an unmarked venv fails instead of skipping; a developer's own venv
(`pip install -e '.[test]'` from the ranges) or the newest-versions job skips, naming how it
differs from the lock.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _load_locked_env() -> ModuleType:
    """scripts/locked_env.py, the same code .ci/install runs (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("locked_env", ROOT / "scripts" / "locked_env.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


locked_env = _load_locked_env()

LOCK_TEXT = locked_env.LOCK.read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def declared() -> list[Requirement]:
    """Every requirement pyproject.toml names: runtime, every extra, the build backend."""
    project = PYPROJECT["project"]
    texts = [*project["dependencies"], *PYPROJECT["build-system"]["requires"]]
    for extra in project["optional-dependencies"].values():
        texts += extra
    return [Requirement(t) for t in texts]


def test_the_lock_pins_every_declared_requirement_inside_its_range() -> None:
    locked = locked_env.pins(LOCK_TEXT, all_platforms=True)
    for req in declared():
        name = canonicalize_name(req.name)
        assert name in locked, f"{req} is not in the lock: run python scripts/update_lock.py"
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"the lock pins {name} {locked[name]}, outside pyproject's {req}: run python scripts/update_lock.py")


def test_every_pin_is_exact_and_hash_checked() -> None:
    """pip --require-hashes refuses anything else; checked here so a hand edit fails at once."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK_TEXT.split("\n", 2)[2])
    assert len(blocks) > 40
    for block in blocks:
        first = block.splitlines()[0]
        assert re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+", first), first
        assert "--hash=sha256:" in block, first


def test_stripe_python_is_bounded_to_the_one_major_that_was_locked_and_tested() -> None:
    """A new major of stripe-python comes with a new API release (breaking shapes): pip must not
    install one from the ranges either (`pip install .`, pipx)."""
    stripe = next(r for r in declared() if canonicalize_name(r.name) == "stripe")
    major = Version(locked_env.pins(LOCK_TEXT, all_platforms=True)["stripe"]).major
    assert stripe.specifier.contains(f"{major}.99.0")
    assert not stripe.specifier.contains(f"{major + 1}.0.0")
    assert not stripe.specifier.contains(f"{major - 1}.99.0")


def _frozen() -> dict[str, str]:
    """`pip freeze --all` of the interpreter running the tests (this project's own line left out)."""
    out = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        name, sep, version = line.partition("==")
        if sep and not line.startswith(("-e", "#")):
            found[canonicalize_name(name)] = version.strip()
    return found


def test_this_environment_holds_exactly_the_locked_versions() -> None:
    marker = Path(sys.prefix) / locked_env.MARKER
    differences = locked_env.differences(locked_env.pins(LOCK_TEXT), _frozen())
    if not marker.exists():
        why = (f"{sys.prefix} was not installed from the lock by .ci/install; it differs in "
               f"{len(differences)} distributions" + (f", e.g. {differences[0]}" if differences else ""))
        if os.environ.get("PORTAL_ASSISTANT_CI"):
            pytest.fail(why)
        pytest.skip(why)
    assert marker.read_text(encoding="ascii").strip() == locked_env.lock_digest(), (
        "requirements-lock.txt changed since .ci/install made this venv: run bash .ci/install again")
    assert differences == []

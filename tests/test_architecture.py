"""Layering is declared as import-linter contracts in pyproject.toml (run by `lint-imports` in CI).
What a static contract cannot see is what a real process loads: checked here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_headless_run_loads_no_qt() -> None:
    """`diagnose` must work on a server with no Qt libraries: run it and look at sys.modules."""
    code = (
        "import sys, io, contextlib\n"
        "from assistant.entry import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['diagnose', '--demo', 'healthy', '--format', 'json', '--no-history'])\n"
        "assert rc == 0, rc\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'qasync', 'shiboken6'))]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_the_gateway_is_the_only_code_that_loads_stripe_before_a_run() -> None:
    """Building the diagnosis (without running it) must not import stripe: it is the gateway's."""
    code = (
        "import sys, assistant.cli.main, assistant.diagnosis.run, assistant.report.render\n"
        "assert 'stripe' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_the_window_paints_before_stripe_sqlalchemy_and_jinja2_load() -> None:
    """`assistant.ui.app` imports what the first paint needs and nothing more (issue #6): stripe,
    the history's SQLAlchemy and the report's Jinja2 load after the paint, on worker threads.
    ruff's TID253 keeps them out of module-level imports outside their homes (pyproject.toml);
    what it cannot see, a chain through a package's `__init__`, shows here."""
    code = (
        "import sys, assistant.ui.app\n"
        "loaded = [m for m in ('stripe', 'sqlalchemy', 'jinja2') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr


def test_the_window_paints_before_sqlalchemy_loads_with_a_history_url() -> None:
    """`--history-url` given to the window is read before the first paint: reading it (and
    checking it) must not load the history's SQLAlchemy, which the history opens after the
    paint on a worker thread."""
    code = (
        "import os, sys, assistant.ui.app\n"
        "seen = {}\n"
        "def first_paint(**_):\n"
        "    seen['loaded'] = [m for m in ('stripe', 'sqlalchemy', 'jinja2') if m in sys.modules]\n"
        "    seen['url'] = os.environ.get('PORTAL_ASSISTANT_HISTORY_URL')\n"
        "    return 0\n"
        "assistant.ui.app.run_app = first_paint  # where the window would be built and painted\n"
        "from assistant.entry import main\n"
        "assert main(['--history-url', 'postgresql://agent@db.example:5432/support']) == 0\n"
        "assert seen == {'loaded': [], 'url': 'postgresql://agent@db.example:5432/support'}, seen\n"
        "from assistant.store.team_url import parse_team_url\n"
        "assert parse_team_url('postgresql://agent:pw@db.example/support').password == 'pw'\n"
        "assert 'sqlalchemy' not in sys.modules, 'parsing the URL loaded sqlalchemy'\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PORTAL_ASSISTANT_HISTORY_URL", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr

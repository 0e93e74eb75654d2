"""`diagnose --format text` on a terminal: problems first, one line per pass, colour only on a
terminal (never with NO_COLOR), the terminal's width, e-mails masked as in every other format."""

from __future__ import annotations

import html
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import cli
from support.practice import practice

from assistant.cli.diagnose import render_diagnosis
from assistant.report.sample import sample_diagnosis

ROOT = Path(__file__).resolve().parents[1]
TAG = re.compile(r"^\[(PASS |FAIL |WARN |ERROR|SKIP )\] ")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("STRIPE_API_KEY", "STRIPE_API_BASE", "NO_COLOR", "COLUMNS", "TERM")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"),
               HOME=str(tmp_path), TERM="xterm-256color", **extra)
    return env


def _piped(tmp_path: Path, *argv: str, **env: str) -> str:
    """The real CLI with its output into a pipe (not a terminal)."""
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "diagnose", "--no-history", *argv],
                            capture_output=True, text=True, env=_env(tmp_path, **env), timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def _on_a_terminal(tmp_path: Path, *argv: str, columns: int = 0, **env: str) -> str:
    """The real CLI with a pseudo-terminal as its standard output, as an agent's shell has
    (`columns` wide when given)."""
    master, slave = pty.openpty()
    if columns:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "diagnose", "--no-history", *argv],
                            stdout=slave, stderr=subprocess.PIPE, env=_env(tmp_path, **env))
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=120) in (0, 1)
    assert proc.stderr is not None and proc.stderr.read() == b""
    return b"".join(chunks).decode().replace("\r\n", "\n")


def _tagged(out: str) -> list[str]:
    return [line for line in out.splitlines() if TAG.match(SGR.sub("", line))]


def test_problems_come_first_then_one_line_per_pass(tmp_path: Path) -> None:
    out = _piped(tmp_path, "--demo", "archived_product")
    lines = out.splitlines()
    tagged = _tagged(out)
    assert tagged[0].startswith("[FAIL ] portal.products")
    assert [t[1:6] for t in tagged] == sorted((t[1:6] for t in tagged),
                                               key=["FAIL ", "ERROR", "WARN ", "PASS ", "SKIP "].index)
    assert lines.index("Needs attention (1):") < lines.index("Passed (14):") < lines.index("Not checked (1):")
    # The failure says what to do; a pass is its one line, nothing under it.
    failure = out[out.index("[FAIL ] portal.products"):out.index("Passed (14):")]
    assert "What to do:" in failure and "https://dashboard.stripe.com/test/products/" in failure
    for n, line in enumerate(lines):
        if line.startswith("[PASS ]"):
            assert not lines[n + 1].startswith(" "), line
            assert len(line) <= 80
    assert sum(line.startswith("[PASS ]") for line in lines) == 14
    # The could-not-compare check is said as such, with what to add, never as a pass.
    assert "[SKIP ] parity.test_live" in out and "add a key of live mode" in out
    assert "Result: 1 FAIL · 0 ERROR · 0 WARN · 14 PASS · 1 SKIP." in out
    assert "Default configuration: bpc_" not in out  # evidence is for --verbose


def test_verbose_shows_every_check_in_full(tmp_path: Path) -> None:
    brief = _piped(tmp_path, "--demo", "archived_product")
    full = _piped(tmp_path, "--demo", "archived_product", "--verbose", "--format", "text")
    data = json.loads(_piped(tmp_path, "--demo", "archived_product", "--format", "json"))
    flat = " ".join(full.split())
    for check in data["checks"]:
        assert " ".join(check["summary"].split()) in flat, check["id"]
        for detail in check["details"]:
            assert " ".join(detail.split()) in flat, (check["id"], detail)
    assert "Default configuration: bpc_" in full
    assert len(full.splitlines()) > len(brief.splitlines()) + 30
    assert _tagged(full)[0].startswith("[FAIL ] portal.products")  # still problems first
    assert "--verbose" not in full  # no hint to ask for what is already shown


def test_no_colour_into_a_pipe_or_with_no_color(tmp_path: Path) -> None:
    assert "\x1b" not in _piped(tmp_path, "--demo", "archived_product")
    on_tty = _on_a_terminal(tmp_path, "--demo", "archived_product", NO_COLOR="1")
    assert "[FAIL ] portal.products" in on_tty and "\x1b" not in on_tty
    assert "\x1b" not in _on_a_terminal(tmp_path, "--demo", "healthy", "--color", "never")


def test_colour_on_a_terminal_or_when_asked(tmp_path: Path) -> None:
    on_tty = _on_a_terminal(tmp_path, "--demo", "archived_product")
    assert "[\x1b[1;31mFAIL\x1b[0m ] portal.products" in on_tty
    assert "[\x1b[32mPASS\x1b[0m ] key.format" in on_tty
    forced = _piped(tmp_path, "--demo", "archived_product", "--color", "always", NO_COLOR="1")
    assert "[\x1b[1;31mFAIL\x1b[0m ]" in forced  # the agent's explicit word beats NO_COLOR
    plain = _piped(tmp_path, "--demo", "archived_product")
    assert _untimed(SGR.sub("", forced)) == _untimed(plain)  # colour adds codes, nothing else


def _untimed(out: str) -> list[str]:
    return [line for line in out.splitlines() if not line.startswith("Generated:")]


def test_colour_never_comes_from_account_data() -> None:
    hostile = "Pro\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\x9b31m"
    with practice("healthy") as (scenario, server):
        server.store.data["test"]["products"][0]["name"] = hostile
        result = cli(["--api-base", server.base_url, "--no-history", "--verbose", "--color", "always",
                      "--customer", scenario.customer or ""], env={"STRIPE_API_KEY": scenario.primary_key})
    assert "Pro[2J]8;;https://evil.exampleclick" in result.out  # shown, its controls removed
    codes = set(re.findall(r"\x1b\[[0-9;]*m", result.out))
    assert codes <= {"\x1b[1m", "\x1b[0m", "\x1b[32m", "\x1b[2m"}  # only our own, around our words
    plain = SGR.sub("", result.out)
    for ch in ("\x1b", "\x07", "\x9b"):
        assert ch not in plain


@pytest.mark.parametrize("columns", [60, 100])
def test_lines_fit_the_terminal_width_and_no_id_is_cut(tmp_path: Path, columns: int) -> None:
    out = _piped(tmp_path, "--demo", "parity_mismatch", "--verbose", COLUMNS=str(columns))
    brief = _piped(tmp_path, "--demo", "archived_product", COLUMNS=str(columns))
    for line in (out + brief).splitlines():
        if len(line) > columns:  # only an id longer than the width, alone (a URL is folded)
            assert len(line.split()) == 1 and "://" not in line, line
    checks = json.loads(_piped(tmp_path, "--demo", "parity_mismatch", "--format", "json"))["checks"]
    said = " ".join(" ".join([c["summary"], *c["details"], *(c["fix"] if c["status"] != "pass" else [])])
                    for c in checks)
    tokens = {t.rstrip(".") for t in re.findall(r"https://[^\s,)]+|\b(?:prod|price|bpc)_[A-Za-z0-9]{10,}", said)}
    assert len(tokens) > 5
    whole = re.sub(r"(?<=[/?&=])\n +", "", out)  # a folded URL read back: its pieces joined
    for token in tokens:  # every id of the run is printed whole on one line, every URL whole
        assert token in (whole if "://" in token else out), token
    if columns == 100:  # the width is the terminal's, not a fixed one
        assert max(len(line) for line in out.splitlines()) > 80


def test_a_url_longer_than_its_line_goes_on_at_its_paragraphs_indent(tmp_path: Path) -> None:
    """At 60 columns the portal settings link does not fit after "1. " under a check: the
    terminal folded it itself, its end at column 0. It is folded after a "/" instead, each
    piece under the paragraph it belongs to."""
    lines = _piped(tmp_path, "--demo", "portal_never_saved", COLUMNS="60").splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("https://dashboard.stripe.com/test/"))
    first, rest = lines[at], lines[at + 1]
    assert first.startswith(" " * 11 + "https://") and rest.startswith(" " * 11) and not rest.startswith(" " * 12)
    assert first.endswith("/")
    assert (first.strip() + rest.split()[0]) == "https://dashboard.stripe.com/test/settings/billing/portal"
    assert max(len(line) for line in lines) <= 60


def test_the_terminal_width_is_read_from_the_terminal(tmp_path: Path) -> None:
    lines = _on_a_terminal(tmp_path, "--demo", "archived_product", "--color", "never",
                           columns=50).splitlines()
    assert lines and all(len(line) <= 50 or len(line.split()) == 1 for line in lines)
    assert "[PASS ] key.accepted: Stripe accepts the key" in lines
    assert any(len(line) > 45 for line in lines)  # the width is used, not a narrower one


def test_parity_lines_name_products_and_prices(tmp_path: Path) -> None:
    full = " ".join(_piped(tmp_path, "--demo", "parity_mismatch", "--verbose", COLUMNS="200").split())
    assert re.search(r'The product "[^"]+" \(prod_\w+\): offered for plan switching in test mode only', full)
    assert re.search(r'The "[^"]+" price \([0-9.]+ USD / \w+\) of "[^"]+" \(price_\w+\): offered', full)
    assert not re.search(r"(Product|Price) (prod|price)_\w+:", full)  # never a bare id


# -- e-mails: one masked form in every format ---------------------------------------------------

def _shown(fmt: str, out: str) -> str:
    """What a reader of each format sees: Markdown's escapes and HTML's entities undone."""
    if fmt == "markdown":
        return re.sub(r"\\([\\`*_\[\]<>#|])", r"\1", out)
    if fmt == "html":
        return html.unescape(out)
    return out


@pytest.mark.parametrize("show", [False, True])
def test_emails_are_masked_the_same_way_in_every_format(qapp, tmp_path: Path, show: bool) -> None:  # type: ignore[no-untyped-def]
    from assistant.report.pdf import write_pdf
    from assistant.report.text_style import TextStyle

    d = sample_diagnosis()
    clear, masked = "jane.doe@example.com", "j***@example.com"
    assert clear in json.dumps(d.to_dict()) or clear in (d.customer_query or "")
    outputs = {fmt: _shown(fmt, render_diagnosis(d, fmt, mask_emails=not show)) for fmt in
               ("text", "json", "markdown", "html")}
    outputs["verbose text"] = render_diagnosis(d, "text", mask_emails=not show, style=TextStyle(verbose=True))
    pdf = tmp_path / "report.pdf"
    write_pdf(render_diagnosis(d, "html", mask_emails=not show), pdf)
    outputs["pdf"] = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                                    capture_output=True, text=True).stdout
    for fmt, out in outputs.items():
        if fmt == "text":  # its passes show no evidence: only the problem naming the e-mail
            assert (clear if show else masked) in out, fmt
            continue
        if show:
            assert clear in out, fmt
        else:
            assert clear not in out, fmt
            assert masked in out, fmt


def test_the_cli_masks_a_customers_email_in_text_as_in_json(tmp_path: Path) -> None:
    text = _piped(tmp_path, "--demo", "archived_product", "--verbose")
    data = _piped(tmp_path, "--demo", "archived_product", "--format", "json")
    for out in (text, data):
        assert "ada@customer.example" not in out
        assert "a***@customer.example" in out
    assert "ada@customer.example" in _piped(tmp_path, "--demo", "archived_product", "--verbose",
                                            "--show-emails")

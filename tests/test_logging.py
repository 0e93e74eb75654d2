"""The log file a support agent may attach to a ticket: rotating, per user, and never holding a key,
a webhook secret or a portal session link, however the text got there (message, arguments,
exception text, stack)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.practice.scenarios import load_scenario
from assistant.store.log_file import setup_logging

SECRET = "sk_live_" + "51HxYzSecretKeyBody0123456789abcdefGHIJ"  # built here: no live-looking key in the source
RESTRICTED = "rk_test_51HxYzRestrictedBody0123456789abcdef"
PUBLISHABLE = "pk_live_51HxYzPublishableBody0123456789abcd"
WEBHOOK = "whsec_0123456789abcdefWebhookSigningSecretXY"
SESSION_URL = "https://billing.stripe.com/p/session/test_abc123"
SOURCE_LINE_KEY = "sk_live_51Hx_SourceLineKey0123456789abcdefGHIJ"  # quoted by a traceback below
SECRETS = (SECRET, RESTRICTED, PUBLISHABLE, WEBHOOK, SESSION_URL, SOURCE_LINE_KEY)
# Distinctive tails: a partial key (the part after the prefix) must not survive either.
TAILS = ("SecretKeyBody0123456789", "RestrictedBody0123456789", "PublishableBody0123456789",
         "WebhookSigningSecretXY", "test_abc123")


@pytest.fixture
def app_logger() -> Iterator[logging.Logger]:
    """Detach whatever file handler an earlier test attached, so setup_logging starts afresh."""
    logger = logging.getLogger("assistant")
    saved_handlers, saved_level = list(logger.handlers), logger.level
    for handler in saved_handlers:
        logger.removeHandler(handler)
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in saved_handlers:
        logger.addHandler(handler)
    logger.setLevel(saved_level)


def _flush(logger: logging.Logger) -> None:
    for handler in logger.handlers:
        handler.flush()


def _all_log_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("assistant.log*")))


def _assert_clean(data: bytes) -> None:
    for secret in (*SECRETS, *TAILS):
        assert secret.encode() not in data, f"{secret!r} reached the log file"


def _fail_with_everything() -> None:
    raise RuntimeError(
        f"Stripe said: Invalid API Key provided: {SECRET}; also {RESTRICTED}, {PUBLISHABLE}, "
        f"{WEBHOOK}; session {SESSION_URL}"
    )


def _fail_with_literal_in_source() -> None:
    # The traceback quotes this source line, so the key must be scrubbed from the frame text too.
    raise ValueError("sk_live_51Hx_SourceLineKey0123456789abcdefGHIJ")  # the `_` keeps leak scanners quiet


def _log_with_stack(log: logging.Logger) -> None:
    # stack_info quotes this very line, literal key included.
    log.info("with a stack", stack_info=True) or print("whsec_0123456789abcdefWebhookSigningSecretXY"[:0], end="")


def test_every_part_of_a_record_is_scrubbed_in_the_file(tmp_path: Path, app_logger: logging.Logger) -> None:
    path = setup_logging(tmp_path)
    assert path == tmp_path / "assistant.log"
    log = logging.getLogger("assistant.test")
    log.info("key %s then %s", SECRET, RESTRICTED)
    log.info(f"in the message itself: {PUBLISHABLE} {WEBHOOK} {SESSION_URL}")
    log.warning("dict args %(k)s", {"k": WEBHOOK})
    try:
        _fail_with_everything()
    except RuntimeError:
        log.exception("diagnosis failed for %s", SECRET)
    try:
        _fail_with_literal_in_source()
    except ValueError as err:
        log.error("with exc_info", exc_info=err)
    _log_with_stack(log)
    _flush(app_logger)

    data = path.read_bytes()
    _assert_clean(data)
    text = data.decode("utf-8")
    # The records are still there and still useful.
    assert "diagnosis failed for sk_live_…" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError" in text
    assert "[portal session link removed]" in text
    assert "whsec_…" in text and "rk_test_…" in text and "pk_live_…" in text
    assert "with a stack" in text


def test_the_log_rotates_and_every_generation_is_scrubbed(tmp_path: Path, app_logger: logging.Logger) -> None:
    path = setup_logging(tmp_path)
    assert path is not None
    log = logging.getLogger("assistant.test")
    padding = "x" * 400
    for i in range(3500):  # ~1.5 MB: more than one 1 MB file
        log.info("request %d with %s and %s %s", i, SECRET, SESSION_URL, padding)
    _flush(app_logger)
    files = sorted(p.name for p in tmp_path.glob("assistant.log*"))
    assert files[:2] == ["assistant.log", "assistant.log.1"]
    assert all(p.stat().st_size <= 1_100_000 for p in tmp_path.glob("assistant.log*"))
    _assert_clean(_all_log_bytes(tmp_path))


def test_setup_logging_is_idempotent(tmp_path: Path, app_logger: logging.Logger) -> None:
    first = setup_logging(tmp_path / "a")
    second = setup_logging(tmp_path / "b")
    assert first == second
    assert sum(getattr(h, "_assistant_file", False) for h in app_logger.handlers) == 1


def test_an_unwritable_log_folder_is_not_fatal(tmp_path: Path, app_logger: logging.Logger) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert setup_logging(blocker / "logs") is None


@pytest.mark.parametrize("argv", [
    ["diagnose", "--demo", "healthy"],
    ["diagnose", "--demo", "restricted_key", "--format", "json"],
    ["diagnose", "--demo", "customer_other_mode", "--format", "markdown"],
])
def test_a_practice_diagnosis_leaves_no_key_in_the_log(
    argv: list[str], tmp_path: Path, app_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    code = main(argv)
    assert code in (0, 1)
    _flush(app_logger)
    files = list((tmp_path / "state").rglob("assistant.log"))
    assert len(files) == 1, "main() writes its log under XDG_STATE_HOME"
    data = _all_log_bytes(tmp_path / "state")
    scenario = load_scenario(argv[2])
    for key in (k.key for k in scenario.keys):
        assert key.encode() not in data
        assert key.split("_", 2)[2].encode() not in data  # nor the key without its prefix
    if argv[2] == "restricted_key":
        assert b"PermissionMissing" in data  # the refused requests were logged, keys scrubbed
    out = capsys.readouterr()
    for key in (k.key for k in scenario.keys):
        assert key not in out.out and key not in out.err

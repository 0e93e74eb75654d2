"""A rotating log file per user, every record redacted like a report (keys, session links, e-mails)."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from pathlib import Path

from assistant.report.redaction import redact_text
from assistant.store.private_files import open_private, private_dir

_LOG_NAME = "assistant.log"


def redact(text: str) -> str:
    """The report's redaction: no key (masked form only), no portal session link, e-mails masked."""
    return redact_text(text)


class RedactingFilter(logging.Filter):
    """Formats the record itself (message, args, traceback) and scrubs the result."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            message += "\n" + record.exc_text
            record.exc_text = None
        if record.stack_info:  # quotes source lines, which may hold pasted text
            message += "\n" + record.stack_info
            record.stack_info = None
        record.msg = redact(message)
        record.args = None
        return True


def default_log_dir() -> Path:
    import platformdirs

    return platformdirs.user_log_path("portal-setup-assistant", appauthor=False)


class _AssistantLog(logging.handlers.RotatingFileHandler):
    """The app's log file handler, so setup_logging finds the one it attached before. Every
    file it opens (the first, and the new one after each rotation) is created 0600.

    A log that cannot be written (a full disk, a profile gone read-only) costs the agent one
    line on standard error, once, and nothing else: logging's own handler printed a 40-line
    traceback for every record, on every run."""

    _assistant_file = True
    broken = False

    def _open(self):  # type: ignore[no-untyped-def]
        return open_private(Path(self.baseFilename), self.mode, self.encoding)

    def emit(self, record: logging.LogRecord) -> None:
        if not self.broken:
            super().emit(record)

    def flush(self) -> None:
        if not self.broken:
            super().flush()

    def close(self) -> None:
        try:
            super().close()
        except OSError:  # what was buffered for a full disk is lost with it (said once already)
            self.stream = None

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        import sys

        if self.broken:
            return
        self.broken = True
        err = sys.exc_info()[1]
        why = getattr(err, "strerror", None) or type(err).__name__
        with contextlib.suppress(Exception):  # no stderr either (a windowed app): stay silent
            sys.stderr.write(f"portal-assistant: the log file {self.baseFilename} cannot be written ({why}); "
                             "carrying on without it.\n")


def setup_logging(log_dir: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Attach the file handler once. Returns the log file, or None when it cannot be written."""
    root = logging.getLogger("assistant")
    for existing in root.handlers:
        if isinstance(existing, _AssistantLog):
            return Path(existing.baseFilename)
    try:
        if log_dir is None:  # the app's own state folder is private too, not only log/ inside it
            private_dir(default_log_dir().parent)
        folder = private_dir(log_dir or default_log_dir())
        handler = _AssistantLog(
            folder / _LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return Path(handler.baseFilename)

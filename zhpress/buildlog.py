"""A build's warnings, recorded as they are printed, so that they travel with its outputs: a
second `make` that finds the book up to date shows them again, and `check` counts them."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR:
            self.messages.append(record.getMessage())


class _Silence(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not logging.WARNING <= record.levelno < logging.ERROR


@contextlib.contextmanager
def recorded_warnings(echo: bool = True) -> Iterator[list[str]]:
    """Every warning logged while the block runs, in order; printed as usual unless `echo`
    is false (a check reads the manuscript again, and its warnings were the build's)."""
    root = logging.getLogger()
    recorder = _Recorder()
    silence = _Silence()
    handlers = [] if echo else list(root.handlers)
    root.addHandler(recorder)
    for handler in handlers:
        handler.addFilter(silence)
    try:
        yield recorder.messages
    finally:
        root.removeHandler(recorder)
        for handler in handlers:
            handler.removeFilter(silence)

"""A progress bar on a terminal, shown only once a run has taken more than a second."""

from __future__ import annotations

import time
from typing import Any, TextIO

DELAY_SECONDS = 1.0


class Progress:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        return self

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            if not self._stream.isatty() or time.monotonic() - self._started < DELAY_SECONDS:
                return
            from rich.console import Console
            from rich.progress import Progress as Bar

            self._bar = Bar(console=Console(file=self._stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("evaluating controls", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

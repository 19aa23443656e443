"""The ``assay`` console script; the commands live in :mod:`assay.commands`.

:func:`main` runs the command line and returns its exit code (for callers in Python). :func:`run` is
the program itself (the ``assay`` script, ``python -m assay``): it ends the process as soon as the
command is done. What the interpreter's exit would still do that matters is done first: the exit
handlers (``atexit``: logging, ``weakref.finalize``, multiprocessing's clean-up) and flushing the
standard streams. What it skips is freeing every object the run built one by one, which is all the
interpreter's teardown does after a check (about 1.35 s after a run over 1,000,000 resources, 5 ms
on the bundled example). A run that leaves a thread working (not a daemon) ends the usual way, so
the interpreter waits for it.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

from assay.commands import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main

__all__ = ["EXIT_INTERNAL", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "main", "run"]


def run() -> NoReturn:
    """The ``assay`` program: :func:`main` on the process's arguments, then the process ends."""
    code = main()
    if any(thread.is_alive() and not thread.daemon for thread in _other_threads()):
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: the interpreter's exit reports it as usual
        sys.exit(code)
    os._exit(code)


def _other_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread is not threading.current_thread()]


if __name__ == "__main__":  # pragma: no cover
    run()

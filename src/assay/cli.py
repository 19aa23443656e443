"""The ``assay`` console script; the commands live in :mod:`assay.commands`."""

from __future__ import annotations

import sys

from assay.commands import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main

__all__ = ["EXIT_INTERNAL", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

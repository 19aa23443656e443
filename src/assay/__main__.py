"""``python -m assay``: the same command line as ``assay``."""

from assay.cli import run

run()

"""CEL for assay: parsing, static analysis of the names a rule reads, and (later) evaluation backends.

cel-python's parser is the reference grammar. It is a process-wide singleton built for the first
runner class used, so this package owns the one :class:`celpy.Environment` of the process.
"""

from assay.cel.syntax import Reference, parse, references

__all__ = ["Reference", "parse", "references"]

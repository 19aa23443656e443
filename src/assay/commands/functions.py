"""``assay functions``: the CEL functions rules can call beyond the standard ones.

First the custom functions of the registry (assay's and plug-ins'), then CEL's extension libraries
that the native backend runs, library by library, each function with its signatures.
"""

from __future__ import annotations

import argparse

from assay.commands._common import Streams

NAME = "functions"
HELP = "list the custom CEL functions and the CEL extension libraries rules can call"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.cel.functions import DEFAULT_FUNCTIONS
    from assay.cel.native.ext_support import Extension, ExtensionMacro
    from assay.cel.native.extensions import EXTENSION_MACROS, EXTENSIONS, LIBRARIES

    for function in DEFAULT_FUNCTIONS:
        streams.say(function.signature)
        streams.say(f"    {function.doc}")
    streams.say()
    streams.say("CEL extension libraries (the native backend runs them; cel-python does not):")
    entries: list[Extension | ExtensionMacro] = [*EXTENSIONS.values(), *EXTENSION_MACROS]
    for library in LIBRARIES:
        streams.say()
        streams.say(library)
        for entry in entries:
            if entry.library == library:
                for signature in entry.signatures:
                    streams.say(f"  {signature}")
                streams.say(f"      {entry.doc}")
    return 0

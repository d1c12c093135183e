"""How a short console command's process starts its work and ends when it runs only mom's own
code: :func:`settle_imports` and :func:`exit_with`.

On its way out the interpreter tears every module down and runs the cyclic garbage collector
over everything those modules still hold, more than once. For a command that lives a fraction
of a second that is a real share of its life: about half of what ``mom test`` spent after its
last operator ended. :func:`exit_with` collects once, so every object already unreachable is
finalized as a normal exit would finalize it, then freezes the survivors: ``atexit`` handlers
still run, the standard streams are still flushed, and the threads still joined, but the
collector no longer walks what the end of the process releases anyway.

The price: an object kept alive only by a module (a module's functions refer to its globals,
a cycle only the collector breaks) is not finalized, so a file a module opened and never
closed is not flushed. mom closes what it opens; code it does not own (an operator run
in-process, a user's operator behind a launcher) may not, and a process that runs such code
ends as Python ends it (``sys.exit``).

Before its work, such a command calls :func:`settle_imports`: what importing made (modules,
their functions and classes) lives as long as the process, and once frozen, neither the
collections the run triggers nor the one on the way out walk it again.
"""

from __future__ import annotations

import gc
import sys
from typing import NoReturn


def settle_imports() -> None:
    """Freeze every object made so far, the imported modules among them: the collector walks
    only what is made after this."""
    gc.freeze()


def exit_with(code: int) -> NoReturn:
    """End the process with ``code``, skipping the collector's walks over what is left."""
    gc.collect()
    gc.freeze()
    sys.exit(code)

"""Checking that an operator declares every input it needs: one entry point for both kinds.

Owns (in :mod:`mom.manager.inputcheck.check`): :class:`InputCheckOptions` and
:func:`check_input_resources`, which loads a Python
operator (``MODULE:ATTRIBUTE``) and traces its reads (:mod:`mom.manager.inputcheck.traced`), or
runs an executable on the whole and the pruned must-gather (:mod:`mom.manager.inputcheck.pruned`)
in a work directory that is kept when named and removed otherwise. Both report through
:mod:`mom.manager.inputcheck.report`; objects named in "not found" errors are read by
:mod:`mom.manager.inputcheck.not_found`.
"""

from mom.manager.inputcheck.check import DEFAULT_TIMEOUT, InputCheckOptions, check_input_resources

__all__ = ["DEFAULT_TIMEOUT", "InputCheckOptions", "check_input_resources"]

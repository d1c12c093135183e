"""Benchmarks: scripts that print figures and ratios against mom's goals (not timed tests).

List them with ``python -m benchmarks``; run one with ``python -m benchmarks NAME`` or
``python -m benchmarks.NAME``.
"""

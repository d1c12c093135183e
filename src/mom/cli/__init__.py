"""The ``mom`` command: argv, environment, terminal, wall clock and exit codes — nothing else.

Owns: parsing options into frozen option objects and calling one library function per command.
May import every other layer; nothing imports it.
Entry point: :func:`mom.cli.main.main`.
"""

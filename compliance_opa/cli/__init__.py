"""Command line: typer and rich only.

Each command reads its options, calls one ``app`` service and renders its outcome;
errors become one line on stderr and the documented exit code. The only package
that draws on the terminal. ``views/`` holds the rich tables and progress bars.

May import: anything below it.
"""

from compliance_opa.cli.app import main

__all__ = ["main"]

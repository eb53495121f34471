"""Command line: typer and rich only.

Each command reads its options, calls one ``app`` service and renders its outcome;
errors become one line on stderr and the documented exit code. The only package
that prints. ``views/`` holds the rich tables and progress bars.

May import: anything below it.
"""

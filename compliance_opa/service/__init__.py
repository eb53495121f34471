"""`opa-comply serve`: the compliance service (an ASGI app on Starlette and uvicorn).

A driving adapter beside the CLI: it calls the app layer (validation, plans, stored scans)
and adds no scan logic of its own. It may import any layer below it; nothing imports it
but the CLI's `serve` command.
"""

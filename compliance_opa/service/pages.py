"""Server-rendered pages: Jinja2 with autoescaping on every template, so text from the
estate (names, tags, messages) is always data, never markup. Pages work without
JavaScript; the few scripts are our own files under /static (the CSP allows no other)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

_HERE = Path(__file__).resolve().parent  # templates and static files ship in the package


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    html = environment().get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


STATIC: list[BaseRoute] = [
    Mount("/static", app=StaticFiles(directory=_HERE / "static"), name="static"),
]

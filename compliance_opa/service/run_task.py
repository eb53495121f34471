"""The HCP Terraform run task: being built, see issue 19."""

from __future__ import annotations

from starlette.routing import BaseRoute

from compliance_opa.service.context import Service

ROUTES: list[BaseRoute] = []


class Workers:
    def stop(self) -> None:
        """Nothing runs yet."""


def start_workers(service: Service) -> Workers:
    return Workers()

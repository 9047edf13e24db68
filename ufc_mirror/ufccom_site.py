"""The UFC.com mirror: robots.txt, the first athletes page, rankings, athlete pages, images."""

from __future__ import annotations

from ufc_mirror.model import World
from ufc_mirror.sites import HTML, Response


class UfcComSite:
    """Routes of the UFC.com mirror."""

    name = "ufccom"
    server_header = "nginx"

    def __init__(self, world: World) -> None:
        self.world = world

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        """Answer one GET."""
        return Response(404, HTML, b"<html><body>Page not found</body></html>", "not_found")

"""The Wikimedia mirror: Wikipedia, Commons and Wikidata Action APIs, the query service and
the image host, on one port under path prefixes (``/wikipedia/w/api.php``,
``/commons/w/api.php``, ``/wikidata/w/api.php``, ``/sparql``, ``/upload/...``)."""

from __future__ import annotations

from ufc_mirror.model import World
from ufc_mirror.sites import HTML, Response

WIKIPEDIA_API = "/wikipedia/w/api.php"
COMMONS_API = "/commons/w/api.php"
WIKIDATA_API = "/wikidata/w/api.php"
SPARQL = "/sparql"


class WikimediaSite:
    """Routes of the Wikimedia mirror."""

    name = "wikimedia"
    server_header = "ATS/9.2.11"

    def __init__(self, world: World) -> None:
        self.world = world

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        """Answer one GET."""
        return Response(404, HTML, b"<html><body>Not Found</body></html>", "not_found")


def endpoints(root: str) -> dict[str, str]:
    """The pipeline's Wikimedia endpoint settings for a mirror at ``root``."""
    root = root.rstrip("/")
    return {
        "wikipedia_api": root + WIKIPEDIA_API,
        "commons_api": root + COMMONS_API,
        "wikidata_api": root + WIKIDATA_API,
        "sparql_url": root + SPARQL,
    }

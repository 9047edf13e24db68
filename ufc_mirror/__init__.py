"""Local mirror of UFCStats and Sherdog for offline runs and matching-quality measurement.

``build_world(seed)`` builds a deterministic world from the real seed data in
``data/seed`` plus generated traps (decoys, namesakes, name variants, images);
``start_mirror(world, faults=FaultConfig(...))`` serves both sites on 127.0.0.1 (faults
off by default); ``world.add_event()`` / ``world.add_late_fight()`` (or the same methods of
the handle, or ``POST /__mirror/...``) change the world while it is served. See
``data/README.md`` and ``mirror/server.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ufc_mirror.faults import FaultConfig
    from ufc_mirror.model import World
    from ufc_mirror.server import MirrorHandle, start_mirror
    from ufc_mirror.world import build_world

__all__ = ["FaultConfig", "MirrorHandle", "World", "build_world", "start_mirror"]


def __getattr__(name: str) -> Any:
    if name == "build_world":
        from ufc_mirror.world import build_world

        return build_world
    if name == "World":
        from ufc_mirror.model import World

        return World
    if name == "FaultConfig":
        from ufc_mirror.faults import FaultConfig

        return FaultConfig
    if name in ("start_mirror", "MirrorHandle"):
        from ufc_mirror import server

        return getattr(server, name)
    raise AttributeError(name)

"""Alembic migrations of the warehouse schema, configured in code (no ``alembic.ini``).

:func:`~ufc_pipeline.warehouse.schema.ensure_schema` runs ``upgrade head`` on start;
:func:`alembic_config` builds the Config for a connection or a URL, and
``python -m ufc_pipeline.warehouse.migrations`` is the ``alembic`` command line with this
configuration (see :mod:`.__main__`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:  # Alembic loads when the schema is first checked, not with the definitions
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic Config for this package's migrations, running on ``connection`` (used as
    is, inside its transaction) or else on an engine made from ``url``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision the code expects (single head)."""
    head = _script().get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS_DIR}")
    return head


def known_revisions() -> frozenset[str]:
    """Every revision this code has a script for."""
    return frozenset(script.revision for script in _script().walk_revisions())

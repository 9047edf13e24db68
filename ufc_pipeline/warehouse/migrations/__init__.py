"""Alembic migrations of the warehouse schema, configured in code (no ``alembic.ini``).

:func:`~ufc_pipeline.warehouse.schema.ensure_schema` runs ``upgrade head`` on start;
:func:`alembic_config` builds the Config for a connection or a URL, and
``python -m ufc_pipeline.warehouse.migrations`` is the ``alembic`` command line with this
configuration (see :mod:`.__main__`).
"""

from __future__ import annotations

import ast
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
    """The revision the code expects (single head), read from the scripts' ``revision`` and
    ``down_revision`` assignments without importing Alembic (0.2 s in every process that
    checks the schema); Alembic's own reading when the scripts are not one plain chain."""
    return _plain_head() or _alembic_head()


def _alembic_head() -> str:
    head = _script().get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS_DIR}")
    return head


@lru_cache(maxsize=1)
def _plain_head() -> str | None:
    """The head of the scripts in ``versions/`` when each names its revision and its one
    parent as plain strings; None when that is not so (Alembic then decides)."""
    parents: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf8")).body:
            if isinstance(node, ast.AnnAssign | ast.Assign):
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                for target in targets:
                    if isinstance(target, ast.Name) and node.value is not None:
                        found[target.id] = node.value
        revision, parent = found.get("revision"), found.get("down_revision")
        if not isinstance(revision, ast.Constant) or not isinstance(revision.value, str):
            return None
        if not isinstance(parent, ast.Constant) or not isinstance(parent.value, str | None):
            return None
        parents[revision.value] = parent.value
    heads = set(parents) - {p for p in parents.values() if p is not None}
    return next(iter(heads)) if len(heads) == 1 else None


def known_revisions() -> frozenset[str]:
    """Every revision this code has a script for."""
    return frozenset(script.revision for script in _script().walk_revisions())

"""``alembic`` for the warehouse: ``python -m ufc_pipeline.warehouse.migrations <command>``.

Any alembic command and its options (``revision --autogenerate -m "..."``, ``upgrade
head``, ``downgrade -1``, ``current``, ``history``), plus ``--url`` naming the database.
Without ``--url``, commands that need a database run on a scratch SQLite file upgraded to
head, so ``revision --autogenerate`` writes exactly the difference between ``schema.py``
and the existing revisions.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import CommandLine

from ufc_pipeline.warehouse.migrations import alembic_config


def main(argv: list[str] | None = None) -> int:
    cli = CommandLine(prog="python -m ufc_pipeline.warehouse.migrations")
    cli.parser.add_argument("--url", help="database URL (default: a scratch SQLite at head)")
    options = cli.parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    with tempfile.TemporaryDirectory(prefix="warehouse-migrations-") as scratch:
        url = options.url
        if url is None:
            url = f"sqlite:///{Path(scratch) / 'scratch.sqlite'}"
            command.upgrade(alembic_config(url=url), "head")
        config = alembic_config(url=url)
        config.cmd_opts = options
        cli.run_cmd(config, options)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Small aggregate reads of the warehouse for the run reports (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import Engine, extract, func, select

from ufc_pipeline.warehouse.schema import fights


def fights_per_year(engine: Engine) -> list[tuple[int | None, str, int]]:
    """Rows of ``fights`` per (year of the bout, section), years ascending; fights without
    a date have year ``None`` (listed first)."""
    year = extract("year", fights.c.date)
    query = (
        select(year, fights.c.section, func.count())
        .group_by(year, fights.c.section)
        .order_by(year.nulls_first(), fights.c.section)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [(None if y is None else int(y), str(s), int(n)) for y, s, n in rows]

"""A set's identity is its workout start, exercise and set order (no longer its weight and reps).

Before this revision a set's natural key also held its weight and reps, so the
same Strong export imported once with ``--units lb`` and once with
``--units kg`` stored every loaded set twice, and an export in which one set
was edited kept both versions.  This data migration recomputes every
``lift_sets.natural_key`` with the new identity; where two stored rows now
share one identity, the one imported last (highest id) is kept, exactly what a
re-import does from now on.  No column changes.

The key function is copied here on purpose: a migration must keep doing what
it did when it was written, whatever ``formcheck.store.codec`` becomes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CHUNK = 500

_lift_sets = sa.table(
    "lift_sets",
    sa.column("id", sa.Integer),
    sa.column("runner_id", sa.Integer),
    sa.column("natural_key", sa.String),
    sa.column("performed_on", sa.Date),
    sa.column("started_at_utc", sa.DateTime),
    sa.column("started_at_local", sa.DateTime),
    sa.column("exercise", sa.String),
    sa.column("set_index", sa.Integer),
    sa.column("weight_kg", sa.Float),
    sa.column("reps", sa.Integer),
)


def _when(row: sa.Row) -> str:
    if row.started_at_utc is not None:
        return row.started_at_utc.strftime("%H:%M:%SZ")  # stored as naive UTC
    if row.started_at_local is not None:
        return row.started_at_local.strftime("%H:%M:%S")
    return ""


def _day(value: object) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def _identity(row: sa.Row) -> str:
    name = " ".join(str(row.exercise).split()).casefold()
    return f"{_day(row.performed_on)}|{_when(row)}|{name}|{row.set_index}"[:400]


def _old_key(row: sa.Row) -> str:
    weight = "" if row.weight_kg is None else f"{row.weight_kg:.2f}"
    reps = "" if row.reps is None else str(row.reps)
    return f"{_identity(row)[:400]}|{weight}|{reps}"[:400]


def _rekey(key_of: object) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_lift_sets).order_by(_lift_sets.c.id)).all()
    winner: dict[tuple[int, str], int] = {}
    key_by_id: dict[int, str] = {}
    for row in rows:
        key = key_of(row)  # type: ignore[operator]
        winner[(row.runner_id, key)] = row.id  # rows come in id order: the last import wins
        key_by_id[row.id] = key
    kept = set(winner.values())
    losers = [row.id for row in rows if row.id not in kept]
    for start in range(0, len(losers), _CHUNK):
        bind.execute(sa.delete(_lift_sets).where(_lift_sets.c.id.in_(losers[start : start + _CHUNK])))
    changed = [{"row_id": row.id, "key": key_by_id[row.id]} for row in rows
               if row.id in kept and row.natural_key != key_by_id[row.id]]
    if not changed:
        return
    statement = sa.update(_lift_sets).where(_lift_sets.c.id == sa.bindparam("row_id"))
    # Two steps, so that no intermediate state can collide on the unique (runner, key) index.
    bind.execute(statement.values(natural_key=sa.bindparam("key")),
                 [{"row_id": c["row_id"], "key": f"migrating:{c['row_id']}"} for c in changed])
    bind.execute(statement.values(natural_key=sa.bindparam("key")), changed)


def upgrade() -> None:
    _rekey(_identity)


def downgrade() -> None:
    _rekey(_old_key)

"""Initial schema: runners, sources, runs (+ compressed points), run segments, lift sets.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from formcheck.store.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runners"),
        sa.UniqueConstraint("name", name="uq_runners_name"),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.ForeignKeyConstraint(
            ["runner_id"], ["runners.id"], name="fk_sources_runner_id_runners", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("runner_id", "sha256", name="uq_sources_runner_sha256"),
    )
    op.create_index("ix_sources_runner_id", "sources", ["runner_id"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("natural_key", sa.String(200), nullable=False),
        sa.Column("sport", sa.String(16), nullable=False),
        sa.Column("start", UTCDateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("gain_m", sa.Float(), nullable=True),
        sa.Column("loss_m", sa.Float(), nullable=True),
        sa.Column("avg_heart_rate_bpm", sa.Float(), nullable=True),
        sa.Column("max_heart_rate_bpm", sa.Float(), nullable=True),
        sa.Column("device", sa.String(200), nullable=True),
        sa.Column("sub_sport", sa.String(64), nullable=True),
        sa.Column("source_format", sa.String(16), nullable=False),
        sa.Column("warnings_json", sa.Text(), nullable=False),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("points_blob", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_runs_runner_id_runners", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_runs_source_id_sources", ondelete="SET NULL"),
        sa.UniqueConstraint("runner_id", "natural_key", name="uq_runs_runner_natural_key"),
    )
    op.create_index("ix_runs_runner_id", "runs", ["runner_id"])
    op.create_index("ix_runs_start", "runs", ["start"])
    op.create_table(
        "run_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sport", sa.String(16), nullable=False),
        sa.Column("start_index", sa.Integer(), nullable=False),
        sa.Column("end_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_run_segments"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_run_segments_run_id_runs", ondelete="CASCADE"),
    )
    op.create_index("ix_run_segments_run_id", "run_segments", ["run_id"])
    op.create_table(
        "lift_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("natural_key", sa.String(400), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("started_at_utc", UTCDateTime(), nullable=True),
        sa.Column("started_at_local", sa.DateTime(timezone=False), nullable=True),
        sa.Column("workout", sa.Text(), nullable=False),
        sa.Column("exercise", sa.String(300), nullable=False),
        sa.Column("set_index", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lift_sets"),
        sa.ForeignKeyConstraint(
            ["runner_id"], ["runners.id"], name="fk_lift_sets_runner_id_runners", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_lift_sets_source_id_sources", ondelete="SET NULL"
        ),
        sa.UniqueConstraint("runner_id", "natural_key", name="uq_lift_sets_runner_natural_key"),
    )
    op.create_index("ix_lift_sets_runner_id", "lift_sets", ["runner_id"])
    op.create_index("ix_lift_sets_performed_on", "lift_sets", ["performed_on"])


def downgrade() -> None:
    op.drop_table("lift_sets")
    op.drop_table("run_segments")
    op.drop_table("runs")
    op.drop_table("sources")
    op.drop_table("runners")

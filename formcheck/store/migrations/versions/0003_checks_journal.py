"""Checks and their inputs: analysed videos, checks (findings.json), the symptom journal.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from formcheck.store.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("video_sha256", sa.String(64), nullable=False),
        sa.Column("settings_key", sa.String(200), nullable=False),
        sa.Column("video_name", sa.Text(), nullable=False),
        sa.Column("analysed_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("activity", sa.String(16), nullable=False),
        sa.Column("view", sa.String(16), nullable=False),
        sa.Column("cadence_spm", sa.Float(), nullable=True),
        sa.Column("trunk_lean_deg", sa.Float(), nullable=True),
        sa.Column("trunk_lean_drift_deg", sa.Float(), nullable=True),
        sa.Column("head_flexion_deg", sa.Float(), nullable=True),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_video_analyses"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_video_analyses_runner_id_runners", ondelete="CASCADE"),
        sa.UniqueConstraint("runner_id", "video_sha256", "settings_key", name="uq_video_analyses_runner_id"),
    )
    op.create_index("ix_video_analyses_runner_id", "video_analyses", ["runner_id"])
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("symptom_date", sa.Date(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("out_dir", sa.Text(), nullable=True),
        sa.Column("top_cause", sa.String(64), nullable=True),
        sa.Column("red_flags", sa.Integer(), nullable=False),
        sa.Column("findings_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checks"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_checks_runner_id_runners", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_checks_run_id_runs", ondelete="SET NULL"),
    )
    op.create_index("ix_checks_runner_id", "checks", ["runner_id"])
    op.create_index("ix_checks_created_at", "checks", ["created_at"])
    op.create_table(
        "check_videos",
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("check_id", "analysis_id", name="pk_check_videos"),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"], name="fk_check_videos_check_id_checks", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["analysis_id"], ["video_analyses.id"], name="fk_check_videos_analysis_id_video_analyses",
                                ondelete="CASCADE"),
    )
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("walked", sa.Boolean(), nullable=False),
        sa.Column("minute", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_journal_entries"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], name="fk_journal_entries_runner_id_runners", ondelete="CASCADE"),
        sa.UniqueConstraint("runner_id", "date", name="uq_journal_entries_runner_id"),
    )
    op.create_index("ix_journal_entries_runner_id", "journal_entries", ["runner_id"])
    op.create_index("ix_journal_entries_date", "journal_entries", ["date"])


def downgrade() -> None:
    op.drop_table("journal_entries")
    op.drop_table("check_videos")
    op.drop_table("checks")
    op.drop_table("video_analyses")

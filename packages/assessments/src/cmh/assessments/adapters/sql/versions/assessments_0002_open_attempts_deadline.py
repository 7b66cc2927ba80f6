"""the deadline of every open attempt as a column, so the sweeper finds abandoned
attempts with an index instead of reading every document

Revision ID: assessments_0002
Revises: assessments_0001
"""

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "assessments_0002"
down_revision = "assessments_0001"
branch_labels = None
depends_on = None

OPEN = ("started", "answering")


def upgrade() -> None:
    with op.batch_alter_table("assessments_attempts") as batch:
        batch.add_column(sa.Column("open_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_assessments_attempts_open_until", "assessments_attempts", ["open_until"])
    # Attempts still open when this runs get their deadline; closed ones stay NULL.
    attempts = sa.table(
        "assessments_attempts",
        sa.column("id", sa.String),
        sa.column("document", sa.JSON),
        sa.column("open_until", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(attempts.c.id, attempts.c.document)).all():
        doc = row.document if isinstance(row.document, dict) else json.loads(row.document)
        if doc.get("status") in OPEN:
            bind.execute(
                attempts.update()
                .where(attempts.c.id == row.id)
                .values(open_until=datetime.fromisoformat(doc["deadline"]))
            )


def downgrade() -> None:
    op.drop_index("ix_assessments_attempts_open_until", "assessments_attempts")
    with op.batch_alter_table("assessments_attempts") as batch:
        batch.drop_column("open_until")

"""lab-hour packs in the ledger: the payment a pack's entries come from, and the monthly
allowance a session was launched under (what its consumption may take from packs beyond)

Revision ID: labs_0005
Revises: labs_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "labs_0005"
down_revision = "labs_0004"
branch_labels = None
depends_on = None

HOURS = sa.String(32)


def upgrade() -> None:
    op.add_column("labs_lab_hours", sa.Column("allowance", HOURS, nullable=True))
    op.add_column("labs_lab_hours", sa.Column("payment_id", sa.String(255), nullable=True))
    op.add_column("labs_sessions", sa.Column("allowance_hours", HOURS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("labs_sessions") as batch:
        batch.drop_column("allowance_hours")
    with op.batch_alter_table("labs_lab_hours") as batch:
        batch.drop_column("payment_id")
        batch.drop_column("allowance")

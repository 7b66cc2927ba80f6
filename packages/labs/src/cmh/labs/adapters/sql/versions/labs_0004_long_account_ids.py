"""room for a provider's full environment id (an Azure resource group's id is longer
than 64 characters)

Revision ID: labs_0004
Revises: labs_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "labs_0004"
down_revision = "labs_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table, PostgreSQL alters the column in place.
    with op.batch_alter_table("labs_session_access") as batch:
        batch.alter_column("account_id", type_=sa.String(500), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("labs_session_access") as batch:
        batch.alter_column("account_id", type_=sa.String(64), existing_nullable=False)

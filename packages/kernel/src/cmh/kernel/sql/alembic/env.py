"""Alembic environment shared by every context: the caller passes the connection and
the context's version table (one per context, so contexts migrate independently even
when the embedded profile keeps them in one SQLite file)."""

from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table=config.attributes["version_table"],
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

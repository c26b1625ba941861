"""Alembic migration scripts shipped inside the package (run by ``formcheck.store.engine``)."""

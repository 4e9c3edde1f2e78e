"""Alembic migrations of the CustDesk base, shipped as package data and run by ``core.db``."""

"""Alembic migrations of the bank's schema (env.py, versions/); run through gquiz.bank.db."""

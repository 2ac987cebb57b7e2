"""The PostgreSQL databases the benchmarks work in, made beside the one a URL names."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def database_beside(url: str, name: str, *, fresh: bool) -> str:
    """Create the database ``name`` on the server of ``url`` and return its URL.

    ``fresh`` drops one of that name first; otherwise an existing one is kept
    (a seeded benchmark database is reused from run to run).
    """
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if exists.fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    """Drop the database ``url`` names (its connections are closed by force)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""The run store's schema: its tables, its version and the migrations between versions."""

from __future__ import annotations

# Version 1 is created as written here, then every migration is applied in turn, so that a
# new store and a migrated one take the same path. A change of schema appends to
# _MIGRATIONS (never edits _SCHEMA_V1): SCHEMA_VERSION follows.

_SCHEMA_V1: tuple[str, ...] = (
    "CREATE TABLE statecraft_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE statecraft_inputs (
        hash CHAR(64) PRIMARY KEY,
        kind VARCHAR(32) NOT NULL,
        body TEXT NOT NULL)""",
    """CREATE TABLE statecraft_runs (
        id VARCHAR(32) PRIMARY KEY,
        created VARCHAR(40) NOT NULL,
        command VARCHAR(32) NOT NULL,
        arguments TEXT NOT NULL,
        input_hash CHAR(64) NOT NULL REFERENCES statecraft_inputs (hash),
        input_name TEXT,
        models TEXT NOT NULL,
        parameters TEXT NOT NULL,
        seed BIGINT,
        version VARCHAR(32) NOT NULL,
        status VARCHAR(16) NOT NULL,
        elapsed DOUBLE PRECISION,
        document TEXT NOT NULL)""",
    "CREATE INDEX statecraft_runs_created ON statecraft_runs (created)",
    """CREATE TABLE statecraft_results (
        run_id VARCHAR(32) NOT NULL REFERENCES statecraft_runs (id) ON DELETE CASCADE,
        name VARCHAR(64) NOT NULL,
        key_columns TEXT NOT NULL,
        records TEXT NOT NULL,
        PRIMARY KEY (run_id, name))""",
)

# version n -> the statements that take a store from version n to n + 1
_MIGRATIONS: dict[int, tuple[str, ...]] = {}

SCHEMA_VERSION = 1 + len(_MIGRATIONS)

_TABLES = ("statecraft_meta", "statecraft_inputs", "statecraft_runs", "statecraft_results")

# the columns of statecraft_runs, in the order the store writes and reads them
_RUN_COLUMNS = (
    "id, created, command, arguments, input_hash, input_name, models, parameters, seed, "
    "version, status, elapsed, document"
)

"""Praxis: one object per data dir. Opens config and database lazily and hands out services."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from praxis import clock, env
from praxis.config.loader import Config, database_path, load_config, state_path
from praxis.errors import DataDirError, StorageError
from praxis.paths import DataDir, resolve_data_dir
from praxis.redact import register_secrets

if TYPE_CHECKING:
    import sqlite3


class Praxis:
    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        self.db_read_only = False  # set when `db` had to open the database read-only
        if data_dir.root.is_dir():
            env.load_dotenv(data_dir.dotenv)

    @classmethod
    def open(cls, data_dir_option: str | None) -> Praxis:
        return cls(DataDir(resolve_data_dir(data_dir_option)))

    @property
    def initialized(self) -> bool:
        return self.data_dir.is_initialized()

    def require_initialized(self) -> None:
        if not self.initialized:
            root = self.data_dir.root
            raise DataDirError(
                f"Praxis is not initialized in {root}.",
                f"run `praxis --data-dir {root} init` first",
            )

    @cached_property
    def config(self) -> Config:
        self.require_initialized()
        config = load_config(self.data_dir)
        # Every secret this config knows is redacted at every write and print from now on.
        register_secrets(
            (route.key_env for route in config.routes if route.key_env),
            (self.data_dir.dashboard_token,),
        )
        return config

    @property
    def database_file(self) -> Path:
        return database_path(self.data_dir, self.config.settings)

    @property
    def state_file(self) -> Path:
        return state_path(self.data_dir, self.config.settings)

    @cached_property
    def db(self) -> sqlite3.Connection:
        from praxis.storage.db import open_database

        path = self.database_file
        if not path.exists():
            raise DataDirError(
                f"database file {path} does not exist",
                f"run `praxis --data-dir {self.data_dir.root} init` to create it",
            )
        try:
            return open_database(path, clock.now_text())
        except StorageError:
            from praxis.io_errors import write_refusal

            if write_refusal(path.parent) is None and write_refusal(path) is None:
                raise
        # A data dir this process cannot write (a read-only mount, another user's dir): commands
        # that only read still answer; a write fails at its first transaction with the same
        # read-only / permission message, before anything changed (storage/read_only.py).
        from praxis.storage.read_only import open_read_only

        conn = open_read_only(path)
        self.db_read_only = True
        return conn

    def write_refusal(self) -> StorageError | None:
        """Why commands that write cannot work here: the file system or the permissions of the
        data dir or the database refuse writing (None: they allow it). Cheap: `status` asks."""
        from praxis.io_errors import write_refusal

        database = self.database_file
        for path in dict.fromkeys((self.data_dir.root, database.parent, database)):
            refusal = write_refusal(path)
            if refusal is not None:
                return refusal
        return None

    @property
    def writable(self) -> bool:
        """Whether commands that write can work here (ask after `db`, which may have had to
        open the database read-only)."""
        return not self.db_read_only and self.write_refusal() is None

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.close()
            del self.__dict__["db"]

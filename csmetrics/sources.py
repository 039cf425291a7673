"""Where a table comes from when ``csmetrics.yaml`` names it: a file path kept inside the
data folder, or a SQL source (SQLAlchemy URL or DuckDB file) read without writing.

A relative path must stay inside the data folder; a file elsewhere is read only from an
absolute path (and :func:`csmetrics.load.load` then withholds its content from messages).
DuckDB and SQLite files are opened read-only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .config_model import CONFIG_FILENAME, Config, Source
from .errors import ConfigError, CsmetricsError, DataError
from .sqltext import quoted_table_name


def inside_folder(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, lies inside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def source_path(written: str, folder: Path | None, key: str, cfg: Config) -> tuple[Path, bool]:
    """The file a setting names (``sources.<table>.file``, ``.duckdb``, a SQLite URL's
    file), and whether it lies inside the data folder.

    A relative path is read in the data folder and must stay there: ``..`` or a link
    leading out of it is a :class:`~csmetrics.errors.ConfigError`. A file elsewhere is
    read only when its path is written as an absolute path.
    """
    path = Path(written)
    if folder is None:
        return path, False
    if path.is_absolute():
        return path, inside_folder(path, folder)
    full = folder / path
    if not inside_folder(full, folder):
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: {key}: {written!r} leads outside the data folder "
            f"{folder} (through '..' or a link); a relative path must stay inside the data "
            "folder (write the absolute path of a file kept elsewhere)"
        )
    return full, True


#: How DuckDB opens a source file: read-only, and no file but the database itself (no
#: ``COPY ... TO``, ``read_csv``, ``ATTACH``, extensions), settings locked.
DUCKDB_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}


def _sqlite_engine(src: Source, url: Any, base: Path | None, cfg: Config, key: str):
    """An engine on the SQLite file of ``url``, opened read-only; the file must exist
    (SQLite would create an empty database)."""
    import sqlite3
    import urllib.parse

    import sqlalchemy as sa

    if url.get_driver_name() not in ("pysqlite", "sqlite"):
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: {key}: SQLite through the "
            f"{url.get_driver_name()!r} driver is not supported; write sqlite:///path/file.db"
        )
    database = (url.database or "").removeprefix("file:")
    if database in ("", ":memory:"):
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: {key}: the SQLite URL names no database file "
            "(write sqlite:///file.db for a file in the data folder)"
        )
    path, _ = source_path(database, base, key, cfg)
    if not path.is_file():
        raise DataError("SQLite database file not found", file=str(path))
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    return sa.create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    )


def read_sql_source(
    src: Source, base: Path | None, cfg: Config | None = None, table: str = ""
) -> pd.DataFrame:
    """Run the query (or read the table) of a SQL source: SQLAlchemy URL or DuckDB file.

    A DuckDB file is opened read-only with no access to other files
    (:data:`DUCKDB_CONFIG`); a SQLite file read-only, and it must exist. ``table`` is
    quoted as a name (each dot-separated part). The query itself was checked when the
    settings were read: one statement that only reads.
    """
    import sqlalchemy as sa

    cfg = cfg or Config()
    key = f"sources.{table or '<table>'}"
    try:
        if src.duckdb:
            import duckdb

            db, _ = source_path(src.duckdb, base, f"{key}.duckdb", cfg)
            if not db.is_file():
                raise DataError("DuckDB file not found", file=str(db))
            target = src.query or f"SELECT * FROM {quoted_table_name(src.table or '')}"
            with duckdb.connect(str(db), read_only=True, config=DUCKDB_CONFIG) as con:
                return con.execute(target).df()
        try:
            url = sa.engine.make_url(src.url or "")
        except (sa.exc.ArgumentError, ValueError) as exc:
            raise ConfigError(
                f"{cfg.path or CONFIG_FILENAME}: {key}.url: not a database URL ({exc})"
            ) from None
        if url.get_backend_name() == "sqlite":
            engine = _sqlite_engine(src, url, base, cfg, f"{key}.url")
        else:
            engine = sa.create_engine(url)
        try:
            if src.query:
                target = src.query
            else:
                quote = engine.dialect.identifier_preparer.quote_identifier
                target = "SELECT * FROM " + ".".join(quote(p) for p in (src.table or "").split("."))
            with engine.connect() as con:
                return pd.read_sql(sa.text(target), con)
        finally:
            engine.dispose()
    except CsmetricsError:
        raise
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"SQL source failed: {first}", file=src.describe()) from None


def sql_source_outside(src: Source, folder: Path | None, cfg: Config, table: str) -> bool:
    """Whether a SQL source reads a database file outside the data folder."""
    if src.duckdb:
        return not source_path(src.duckdb, folder, f"sources.{table}.duckdb", cfg)[1]
    import sqlalchemy as sa

    try:
        url = sa.engine.make_url(src.url or "")
    except (sa.exc.ArgumentError, ValueError):
        return False  # read_sql_source reports it
    if url.get_backend_name() != "sqlite" or not url.database:
        return False
    database = url.database.removeprefix("file:")
    return not source_path(database, folder, f"sources.{table}.url", cfg)[1]

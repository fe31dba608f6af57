"""A fresh database for the bench, so it never touches real data.

Django's test-database machinery does the work: it creates the database (SQLite: a file in a
temporary folder; PostgreSQL: ``<NAME>_bench`` on the same server), migrates it and points the
default connection at it; ``destroy_test_db`` drops it and points the connection back.
"""

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db import connection


def engine() -> str:
    """``sqlite`` or ``postgresql``."""
    return connection.vendor


@contextlib.contextmanager
def bench_database(*, name: str | None = None, keep: bool = False, log=print) -> Iterator[str]:
    """Create, migrate and use a separate database; drop it afterwards unless ``keep``."""
    original_name = connection.settings_dict["NAME"]
    original_test = dict(connection.settings_dict.get("TEST") or {})
    folder = None
    if connection.vendor == "sqlite":
        if name is None:
            folder = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
            name = str(folder / "bench.sqlite3")
    elif name is None:
        name = f"{original_name}_bench"
    # The bench database is dropped and recreated: never let it be the real one.
    if name == original_name:
        raise ValueError(f"The bench database must not be the configured database ({name}).")
    connection.settings_dict["TEST"] = {**original_test, "NAME": name, "MIGRATE": True}
    log(f"Creating and migrating the bench database {name} …")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.close()
        if keep:
            connection.settings_dict["NAME"] = original_name
            log(f"Kept the bench database: {name}")
        else:
            connection.creation.destroy_test_db(original_name, verbosity=0)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        connection.settings_dict["TEST"] = original_test

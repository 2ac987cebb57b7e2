"""Files and folders in the data folder that only the platform's own user may read.

The data folder holds the SQLite database, generated secrets (Django's secret key, the key
that encrypts signing keys, the audit log's key) and learners' evidence. Each is created
private from the first byte (folders 0700, files 0600) instead of being made with the
process's umask and narrowed afterwards, which would leave a moment when other local users
could open it. Django-free: the settings module uses it before Django is configured.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) as a folder only its owner may enter."""
    if not path.exists():
        path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask; the folder must be 0700 whatever it is.
        path.chmod(PRIVATE_FOLDER)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty and private if it does not exist; leave an existing file alone."""
    private_folder(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    return path


def generated_secret(path: Path, generate: Callable[[], str]) -> str:
    """Return the secret kept in ``path``, writing ``generate()`` there, private, the first time.

    The secret is written whole to a private temporary file that is then linked into place,
    so two processes starting at once both read the one secret that was linked first, and
    none reads a half-written file.
    """
    if not path.exists():
        private_folder(path.parent)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(generate())
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()

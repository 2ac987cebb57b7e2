from __future__ import annotations

import os
import tempfile

# Keep the test run's data (SQLite file, generated secret key, demo samples) out of ./var.
os.environ.setdefault("MICROCRED_DATA_DIR", tempfile.mkdtemp(prefix="microcred-tests-"))

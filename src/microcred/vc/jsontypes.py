"""The names the engine gives JSON as it reads and writes it (RFC 8259).

Documents arrive from outside as parsed JSON, so a value inside one can be any
JSON type until a check has looked at it; the alias says so in signatures.
"""

from __future__ import annotations

from typing import Any, TypeAlias

# A JSON object (a credential, a proof, a context): its members are still unchecked.
JSONObject: TypeAlias = dict[str, Any]

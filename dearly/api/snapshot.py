"""The committed OpenAPI snapshot (openapi.json beside this file), so CI sees every API change.

A change to the API shows up as a diff of this file in review; `dearly openapi --write`
refreshes it, and a test fails while it is out of date.
"""

import json
from pathlib import Path

from ninja.responses import NinjaJSONEncoder

from dearly.api.api import api

SNAPSHOT = Path(__file__).with_name("openapi.json")
REFRESH_COMMAND = "dearly openapi --write"


# Python 3.13 renamed HTTPStatus(422).phrase to RFC 9110's "Unprocessable Content"; the snapshot
# uses that name on every Python, so the test passes whichever one uv picked.
STABLE_PHRASES = {"422": "Unprocessable Content"}


def render_schema() -> str:
    """The live schema as stable text: keys sorted, two-space indent, trailing newline."""
    schema = api.get_openapi_schema()
    for operations in schema["paths"].values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                if str(code) in STABLE_PHRASES:
                    response["description"] = STABLE_PHRASES[str(code)]
    text = json.dumps(schema, cls=NinjaJSONEncoder, indent=2, sort_keys=True, ensure_ascii=False)
    return text + "\n"


def committed_schema() -> str:
    return SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""

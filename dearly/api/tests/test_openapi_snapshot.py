"""The committed OpenAPI snapshot must match the live schema, so CI catches API changes."""

import difflib

import pytest

from dearly.api.snapshot import REFRESH_COMMAND, SNAPSHOT, committed_schema, render_schema


def test_the_committed_openapi_snapshot_matches_the_live_schema():
    live, committed = render_schema(), committed_schema()
    if live != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                live.splitlines(keepends=True),
                fromfile=f"{SNAPSHOT.name} (committed)",
                tofile=f"{SNAPSHOT.name} (live)",
            )
        )
        pytest.fail(
            f"The API changed but its snapshot did not.\n{diff}\n"
            f"If the change is intended, run `{REFRESH_COMMAND}` and commit {SNAPSHOT}.",
            pytrace=False,
        )


def test_the_schema_renders_the_same_every_time():
    assert render_schema() == render_schema()


def test_the_schema_describes_bearer_keys_and_the_error_shape():
    schema = render_schema()
    assert '"scheme": "bearer"' in schema
    assert '"ErrorItem"' in schema

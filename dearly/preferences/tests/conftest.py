from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    """The signup rate limit counts in the cache, which outlives a test: start each at zero."""
    cache.clear()
    yield
    cache.clear()

"""A per-IP limit on signups, counted in Django's cache.

The default cache is local memory: each server process counts on its own, so with N processes
an address gets up to N times LIMIT signups per window. Point CACHES at a shared backend (the
database cache or Redis) to make the limit exact. Addresses are hashed before they become
cache keys.
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac

LIMIT = 5
WINDOW_SECONDS = 10 * 60


def _key(ip_address: str) -> str:
    digest = salted_hmac("dearly.preferences.throttle", ip_address, algorithm="sha256")
    return f"dearly:signup-ip:{digest.hexdigest()[:32]}"


def allow_signup(ip_address: str | None) -> bool:
    """Count this attempt; False once the address made more than LIMIT in the window."""
    key = _key(ip_address or "unknown")
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return True
    return count <= LIMIT

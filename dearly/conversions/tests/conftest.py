import pytest
from django.test import Client

from dearly.api.tests.conftest import bearer_client
from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key


@pytest.fixture
def api(db: None) -> Client:
    """A client that sends a valid API key."""
    _, raw = create_api_key(actor=Actor.system("tests"), name="Shop")
    return bearer_client(raw)

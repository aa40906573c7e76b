"""Every app stands on a declared layer, so `lint-imports` checks all of its imports."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def declared_layers() -> list[set[str]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [{name.strip() for name in re.split(r"[|:]", line)} for line in layers["layers"]]


def test_every_installed_app_is_on_a_layer():
    on_a_layer = set().union(*declared_layers())
    apps = {app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("dearly.")}
    assert apps - on_a_layer == set(), "declare the new app's layer in pyproject.toml"


def test_core_is_the_bottom_layer_and_contacts_sit_on_branches():
    layers = declared_layers()
    assert layers[-1] == {"core"}
    assert layers.index({"contacts"}) < layers.index({"branches"})

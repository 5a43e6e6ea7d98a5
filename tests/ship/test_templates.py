"""The built-in templates come from the package (importlib.resources), not a path."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from automation.outgoing.templates import MESSAGE_TYPES, BuiltinLoader

TOP = Path(__file__).resolve().parents[1] / "templates"


def test_every_message_type_is_package_data() -> None:
    names = BuiltinLoader().list_templates()
    assert {f"{n}.j2" for n in MESSAGE_TYPES} <= set(names), names
    if TOP.is_dir():  # the top-level folder is what the package carries
        assert sorted(p.name for p in TOP.glob("*.j2")) == names


def test_no_escape_from_the_package() -> None:
    env = jinja2.Environment(loader=BuiltinLoader(), autoescape=True)
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("../automation/cli.py")
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("no_such_template.j2")

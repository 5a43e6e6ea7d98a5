"""Owner-editable email templates, rendered in jinja2's sandbox.

Each message type is one file, ``<name>.j2``, defining three blocks:
``subject``, ``text`` and ``html``.  An owner's folder (config
``templates.path``) is searched first, then the built-in ``templates/`` (installed
as the package data ``automation._templates``, read with importlib.resources); a
per-priority variant ``<name>.<priority>.j2`` (``acknowledgement.critical.j2``)
wins over the plain one.  Customer emails come in the customer's language:
``<lang>/<name>.j2`` (built in for de, fr, es and ja; the plain files are
English) wins over the plain one, and an owner's file wins over the built-in
one of the same name, so ``templates.path/de/acknowledgement.j2`` overrides the
German acknowledgement only.  Undefined variables are errors (StrictUndefined),
and every template is rendered against a sample context, in every language,
when the set loads, so a typo fails in ``sheetdesk check`` rather than in a
customer's inbox.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from automation.errors import TemplateError
from automation.outgoing import wording

BUILTIN_PACKAGE = "automation._templates"  # the top-level templates/ folder (setup.py)
MESSAGE_TYPES: tuple[str, ...] = (
    # to the customer
    "acknowledgement",
    "progress_update",
    "handoff",
    "resolution",
    "closing",
    "still_on_it",
    # to the team (never to a customer)
    "assignment_notice",
    "breach_warning",
    "escalation",
    "update_reminder",
    # to the owners
    "weekly_review",
)
PRIORITY_SUFFIXES: tuple[str, ...] = ("low", "high", "critical")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _one_line(value: str) -> str:
    # Subjects end up in a header: no line breaks may survive into it.
    return " ".join(value.split())


class BuiltinLoader(jinja2.BaseLoader):
    """The built-in templates, read through importlib.resources (so they load
    from a wheel, a zip or a source checkout alike)."""

    def __init__(self, package: str = BUILTIN_PACKAGE) -> None:
        self.package = package

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        item: Traversable = resources.files(self.package)
        for piece in split_template_path(template):  # refuses ".." like FileSystemLoader
            item = item.joinpath(piece)
        if not item.is_file():
            raise jinja2.TemplateNotFound(template)
        return item.read_text(encoding="utf-8"), f"{self.package}/{template}", lambda: True

    def list_templates(self) -> list[str]:
        return sorted(
            p.name for p in resources.files(self.package).iterdir() if p.name.endswith(".j2")
        )


class TemplateSet:
    """The loaded, checked templates."""

    def __init__(
        self,
        owner_dir: Path | None,
        sample: Mapping[str, Any],
        names: tuple[str, ...] = MESSAGE_TYPES,
    ) -> None:
        loaders: list[jinja2.BaseLoader] = [BuiltinLoader()]
        if owner_dir is not None:
            loaders.insert(0, jinja2.FileSystemLoader(str(owner_dir)))
        # Two environments over the same files: the HTML block is rendered with
        # autoescaping on, the subject and text blocks with it off.
        self._envs = {
            escape: SandboxedEnvironment(
                loader=jinja2.ChoiceLoader(loaders),
                undefined=jinja2.StrictUndefined,
                autoescape=escape,
                keep_trailing_newline=True,
            )
            for escape in (False, True)
        }
        self._names = names
        self.check(sample)

    def _candidates(self, name: str, priority: str | None, language: str) -> list[str]:
        stems = [f"{name}.{priority.lower()}", name] if priority else [name]
        folders = [f"{language}/", ""] if language and language != wording.DEFAULT else [""]
        return [f"{folder}{stem}.j2" for folder in folders for stem in stems]

    def _template(
        self, name: str, priority: str | None, html: bool, language: str = ""
    ) -> jinja2.Template:
        try:
            return self._envs[html].select_template(self._candidates(name, priority, language))
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template {name}: no file {exc.name}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc

    def render(
        self,
        name: str,
        context: Mapping[str, Any],
        priority: str | None = None,
        language: str = "",
    ) -> Rendered:
        """``name`` in ``language`` (a ``wording.LANGUAGES`` code; English when
        there is no file for it)."""
        parts: dict[str, str] = {}
        for block in ("subject", "text", "html"):
            template = self._template(name, priority, html=block == "html", language=language)
            if block not in template.blocks:
                raise TemplateError(f"{template.name}: block {block!r} is missing")
            ctx = template.new_context(dict(context))
            try:
                parts[block] = "".join(template.blocks[block](ctx))
            except jinja2.UndefinedError as exc:
                raise TemplateError(f"{template.name}: {exc.message}") from exc
            except jinja2.exceptions.SecurityError as exc:
                raise TemplateError(f"{template.name}: not allowed: {exc}") from exc
            except Exception as exc:  # a template bug must not escape as a crash
                raise TemplateError(f"{template.name}: {type(exc).__name__}: {exc}") from exc
        return Rendered(_one_line(parts["subject"]), parts["text"].strip() + "\n", parts["html"])

    def check(self, sample: Mapping[str, Any]) -> None:
        """Render every template (and every per-priority and per-language variant
        present) against ``sample``."""
        for name in self._names:
            for language in wording.LANGUAGES:
                for priority in (None, *PRIORITY_SUFFIXES):
                    self.render(name, sample, priority, language)

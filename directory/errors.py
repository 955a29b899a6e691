"""What the domain refuses: the one root of every exception the directory raises on purpose.

A ``DirectoryError`` carries its message as a template marked for translation (``N_``) with
its values, so code without a request (matching, geo, importers, operations) can raise it and
the web layer says it in the visitor's language (``directory.web.i18n.translated``). ``field``
names the form field or query parameter it concerns, if any; ``status`` is the HTTP status a
view answers with, the same for every refusal of the same kind.
"""

from __future__ import annotations

from collections.abc import Callable

from directory.vocabulary import N_


class DirectoryError(Exception):
    """A request the directory refuses, with a message a person can act on."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, **values):
        self.template = message
        self.values = values
        self.field = field
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The message in English (the template's own language)."""
        return self.template % self.values if self.values else self.template

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in the language ``gettext`` translates into."""
        text = gettext(self.template)
        return text % self.values if self.values else text


class Conflict(DirectoryError):
    """The listing changed since the version the change was made from: nothing was saved.

    ``fields`` says, for each field changed since, what the person wanted and what it is now.
    """

    status = 409

    def __init__(self, fields=()):
        super().__init__(
            N_(
                "This listing was changed by someone else after you opened it. Nothing was "
                "saved. Review the current values below and make your change again."
            )
        )
        self.fields = list(fields)

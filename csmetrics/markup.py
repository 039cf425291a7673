"""The one place where text becomes HTML.

Two kinds of text reach a page: the project's own (message strings and their
translations, which may use Markdown for emphasis and lists) and values from the data or
the configuration (team names, categories, comments, currency codes...). Only the first
kind is ever read as Markdown. :class:`Prose` renders a project string as Markdown with
each ``{placeholder}`` replaced by a token, and only then puts the values in, escaped
as text: a value such as ``[x](javascript:alert(1))`` or ``![x](http://host/x.png)`` stays
those characters on the page, never a link or an image. Whole pages are Jinja2
templates with autoescape on (:func:`render`), so a value is escaped unless the code
marks it as the project's own markup.

Every page the package writes carries :data:`CONTENT_SECURITY_POLICY`: no script runs
and nothing is requested from outside the page (images are embedded as ``data:``).
"""

from __future__ import annotations

import string
from functools import cache
from typing import Any

import jinja2
import mistune
from markupsafe import Markup, escape

__all__ = ["CONTENT_SECURITY_POLICY", "Markup", "Prose", "escape", "prose", "render"]

#: The policy of every page: nothing but the page itself and its embedded images,
#: fonts and styles; no script, no frame, no form, no request to any other place.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)

# Private-use characters: Markdown gives them no meaning, and no message contains them.
_OPEN, _CLOSE = "\ue000", "\ue001"
_FORMATTER = string.Formatter()


@cache
def _markdown() -> mistune.Markdown:
    # escape=True: raw HTML in a message is shown as text, never passed through
    return mistune.create_markdown(escape=True)


class Prose:
    """Paragraphs and lists written by the project, with values from the data as text.

    Each :meth:`add` appends one line of Markdown (a message string) whose
    ``{placeholders}`` are filled with ``values``. The Markdown of the lines is rendered
    first; the values are escaped and put in afterwards, so nothing in a value can
    become markup. A value that is :class:`~markupsafe.Markup` (HTML the project built,
    e.g. a link to one of its own pages) goes in as it is.

    Examples
    --------
    >>> str(prose("Worst team: **{team}**", team="[x](javascript:alert(1))"))
    '<p>Worst team: <strong>[x](javascript:alert(1))</strong></p>'
    >>> str(Prose().add("- {a}", a="<b>").add("- {b:.1f}", b=2.25))
    '<ul>\\n<li>&lt;b&gt;</li>\\n<li>2.2</li>\\n</ul>'
    """

    def __init__(self) -> None:
        # each line: its literal Markdown and its values, alternating (str, Markup, ...)
        self._lines: list[list[str | Markup]] = []

    def add(self, text: str, /, **values: Any) -> Prose:
        """Append one line of Markdown, ``{name}`` fields taken from ``values``."""
        parts: list[str | Markup] = []
        for literal, name, spec, conversion in _FORMATTER.parse(text):
            parts.append(literal)
            if name is None:
                continue
            if name not in values:
                raise KeyError(f"no value for {{{name}}} in {text!r}")
            value = values[name]
            if conversion:
                value = _FORMATTER.convert_field(value, conversion)
            if spec or not isinstance(value, Markup):
                value = escape(format(value, spec) if spec else value)
            parts.append(value)
        self._lines.append(parts)
        return self

    def html(self, inline: bool = False) -> Markup:
        """The HTML; ``inline`` drops the paragraph around a single line."""
        values: list[Markup] = []
        lines = []
        for parts in self._lines:
            text = []
            for part in parts:
                if isinstance(part, Markup):
                    text.append(f"{_OPEN}{len(values)}{_CLOSE}")
                    values.append(part)
                else:
                    text.append(part)
            lines.append("".join(text))
        out = _markdown()("\n".join(lines)).strip()
        if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        for i, value in enumerate(values):
            out = out.replace(f"{_OPEN}{i}{_CLOSE}", str(value))
        return Markup(out)

    def __add__(self, other: Prose) -> Prose:
        out = Prose()
        out._lines = [*self._lines, *other._lines]
        return out

    def __str__(self) -> str:
        return str(self.html())

    def __html__(self) -> str:  # Jinja2 and markupsafe insert it as it is
        return str(self.html())

    def _repr_html_(self) -> str:  # notebooks display it as HTML
        return str(self.html())


def prose(text: str, /, **values: Any) -> Prose:
    """One line of the project's Markdown with values from the data put in as text.

    Examples
    --------
    >>> prose("*No {table} data.*", table="![x](http://host/x.png)").html(inline=True)
    Markup('<em>No ![x](http://host/x.png) data.</em>')
    """
    return Prose().add(text, **values)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("csmetrics", "templates/pages"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, /, **context: Any) -> str:
    """Render one of the package's page templates (``templates/pages/``), autoescaped.

    Every template receives ``csp`` (:data:`CONTENT_SECURITY_POLICY`).
    """
    return _environment().get_template(template).render(csp=CONTENT_SECURITY_POLICY, **context)

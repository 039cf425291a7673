"""The project's own exceptions.

Every problem with a user's input raises a subclass of :class:`CsmetricsError`, whose
message names the file, the column and example rows. The command line turns these
errors into exit code 2; anything else escaping is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence


class CsmetricsError(Exception):
    """Base class of every error caused by the user's input or configuration."""

    exit_code = 2


class ConfigError(CsmetricsError):
    """``csmetrics.yaml`` (or a configuration passed in code) is invalid."""


class DataError(CsmetricsError):
    """A data file cannot be loaded into its canonical table.

    Parameters
    ----------
    message : str
        What is wrong, in plain language.
    file : str, optional
        The file (or SQL source) the problem was found in.
    column : str, optional
        The column concerned, as named in the source.
    rows : sequence of str, optional
        Example rows, already formatted (``"row 3: '2026-13-45'"``).
    problems : sequence of DataError, optional
        When several problems were found, each of them; the message then lists all.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        rows: Sequence[str] = (),
        problems: Sequence[DataError] = (),
    ) -> None:
        self.message = message
        self.file = file
        self.column = column
        self.rows = list(rows)
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """The full, human-readable message."""
        if self.problems:
            lines = [self.message]
            lines += [f"  - {p.render()}" for p in self.problems]
            return "\n".join(lines)
        where = []
        if self.file:
            where.append(self.file)
        if self.column:
            where.append(f"column {self.column!r}")
        head = f"{': '.join(where)}: " if where else ""
        text = f"{head}{self.message}"
        if self.rows:
            text += f" (e.g. {'; '.join(self.rows)})"
        return text

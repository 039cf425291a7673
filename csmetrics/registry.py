"""Named registries of pluggable rules: add one by name, find one by name.

A :class:`Registry` is a ``dict`` from names to objects kept in registration order (the
order rules run in), with :meth:`Registry.register` (also a decorator) and
:meth:`Registry.lookup`, whose error names the unknown name and the known ones. The
evaluation's judging rules (:data:`csmetrics.checklist.JUDGES`) and recommendation rules
(:data:`csmetrics.evaluate.recommend.RECOMMENDATION_RULES`) are registries.
"""

from __future__ import annotations

from typing import Any, TypeVar

from .errors import CsmetricsError

T = TypeVar("T")


class Registry(dict[str, T]):
    """Objects by name, in registration order.

    Parameters
    ----------
    kind : str
        What the objects are, for the error of an unknown name (``judging rule``).

    Examples
    --------
    >>> rules = Registry("rule")
    >>> @rules.register("double")
    ... def _double(x):
    ...     return 2 * x
    >>> rules.lookup("double")(4), list(rules)
    (8, ['double'])
    >>> rules.lookup("triple")
    Traceback (most recent call last):
    ...
    csmetrics.errors.CsmetricsError: unknown rule 'triple'; known rules: double
    """

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def register(self, name: str, obj: T | None = None) -> Any:
        """Register ``obj`` as ``name`` (again: it replaces the old one in its place);
        without ``obj``, the decorator that registers the function it wraps."""
        if obj is None:
            return lambda fn: self.register(name, fn)
        self[name] = obj
        return obj

    def lookup(self, name: str) -> T:
        """The object registered as ``name``.

        Raises
        ------
        CsmetricsError
            Nothing is registered as ``name`` (the message lists the known names).
        """
        try:
            return self[name]
        except KeyError:
            known = ", ".join(self) or "none registered"
            raise CsmetricsError(f"unknown {self.kind} {name!r}; known rules: {known}") from None

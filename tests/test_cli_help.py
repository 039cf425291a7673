"""The command line as users meet it: every sub-command's ``--help`` says in one line
what it does and shows at least one example; ``--kpi a b`` works as the README shows,
like ``--kpi a --kpi b``."""

from __future__ import annotations

import argparse
import json

import pytest

from csmetrics.cli import build_parser, main

from .conftest import REPORT_PERIOD


def _commands() -> list[str]:
    """The sub-commands of the parser, as registered."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_every_command_is_covered():
    assert _commands() == ["validate", "kpis", "import", "sample", "report"]


@pytest.mark.parametrize("command", _commands())
def test_every_command_help_has_a_description_and_an_example(capsys, command):
    text = _help(capsys, command)
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    description = sub.choices[command].description
    assert description and "\n" not in description and description.endswith(".")
    assert description in " ".join(text.split())  # argparse wraps it
    lines = text.splitlines()
    assert "examples:" in lines
    examples = lines[lines.index("examples:") + 1 :]
    assert examples and all(e.startswith(f"  csmetrics {command}") for e in examples)


def test_the_main_help_lists_the_commands(capsys):
    text = _help(capsys)
    for command in _commands():
        assert f"    {command}" in text
    assert "examples:" in text


def test_kpi_takes_several_ids_at_once_or_repeated():
    parse = build_parser().parse_args
    assert parse(["kpis", "--kpi", "fcr_rate", "csat_score"]).kpi == ["fcr_rate", "csat_score"]
    assert parse(["kpis", "--kpi", "fcr_rate", "--kpi", "csat_score"]).kpi == [
        "fcr_rate",
        "csat_score",
    ]
    assert parse(["kpis", "--kpi", "a", "b", "--kpi", "c"]).kpi == ["a", "b", "c"]
    assert parse(["kpis"]).kpi is None


def test_kpi_a_b_gives_the_rows_of_kpi_a_kpi_b(capsys, small_sample):
    base = ["kpis", "--data", str(small_sample), "--period", REPORT_PERIOD, "--format", "json"]

    def rows(*kpi_args: str) -> list[dict]:
        assert main([*base, *kpi_args]) == 0
        return json.loads(capsys.readouterr().out)["kpis"]

    together = rows("--kpi", "fcr_rate", "csat_score", "tickets_created")
    repeated = rows("--kpi", "fcr_rate", "--kpi", "csat_score", "--kpi", "tickets_created")
    assert together == repeated
    assert {r["kpi"] for r in together} == {"fcr_rate", "csat_score", "tickets_created"}

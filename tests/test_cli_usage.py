"""Usage errors and help: what a new user meets first."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

import pytest

from evstatus import _cli as cli
from evstatus.uptime import REGIMES, Cause

PERIOD = ["--from", "2026-06-01", "--to", "2026-06-03"]
LOG = (
    '{"station": "CP-1", "received": "2026-06-01T08:00:00Z", "frame": [2, "m", '
    '"StatusNotification", {"connectorId": 1, "errorCode": "NoError", '
    '"status": "Faulted"}]}\n'
)


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's parser, by name, as the command holds them."""
    (found,) = (
        cast("dict[str, argparse.ArgumentParser]", action.choices)
        for action in cli.parser()._actions  # pyright: ignore[reportPrivateUsage]
        if action.nargs == argparse.PARSER
    )
    return found


#: What each command needs besides its options.
NEEDED = {
    "replay": ["log"],
    "uptime": [*PERIOD, "log"],
    "report": [*PERIOD, "-o", "report.html", "log"],
}


def typos() -> list[tuple[str, str]]:
    """(command, an option with a letter left out) for every long option.

    A required option mistyped is missing: argparse says so first.
    """
    return [
        (name, option[:3] + option[4:])
        for name, command in subcommands().items()
        for action in command._actions  # pyright: ignore[reportPrivateUsage]
        for option in action.option_strings
        if option.startswith("--")
        and len(option) > 5
        and option != "--help"
        and not action.required
    ]


@pytest.mark.parametrize(("name", "typo"), typos())
def test_a_mistyped_option_shows_the_commands_usage_and_a_guess(
    name: str, typo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main([name, *NEEDED.get(name, []), typo])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: evstatus {name} ")
    # Another option may be closer still; one of them is named.
    assert (
        f"evstatus {name}: error: unrecognized arguments: {typo} (did you mean --"
        in err
    )


def test_the_example_of_a_typo(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["replay", "--jsn", "log"])
    assert capsys.readouterr().err.endswith(
        "evstatus replay: error: unrecognized arguments: --jsn (did you mean --json?)\n"
    )


def test_an_extra_argument_is_named_without_a_guess(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["replay", "log", "extra"])
    err = capsys.readouterr().err
    assert err.startswith("usage: evstatus replay ")
    assert err.endswith("evstatus replay: error: unrecognized arguments: extra\n")


def test_an_unknown_option_with_a_value(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["replay", "log", "--timelne=yes", "extra"])
    assert capsys.readouterr().err.endswith(
        "error: unrecognized arguments: --timelne=yes (did you mean --timeline?) "
        "extra\n"
    )


@pytest.mark.parametrize("name", ["uptime", "report"])
def test_an_empty_station_is_refused(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(LOG, encoding="utf-8")
    output = ["-o", str(tmp_path / "r.html")] if name == "report" else []
    with pytest.raises(SystemExit) as caught:
        cli.main([name, *PERIOD, *output, "--station", "", str(log)])
    assert caught.value.code == 2
    assert "argument --station: '' is not a station id" in capsys.readouterr().err


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("regime", sorted(REGIMES))
def test_the_regime_in_any_case(
    regime: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(LOG, encoding="utf-8")
    same = run(["uptime", *PERIOD, "--regime", regime, str(log)], capsys)
    assert same[0] == 0
    for spelt in (regime.upper(), regime.title()):
        assert run(["uptime", *PERIOD, "--regime", spelt, str(log)], capsys) == same


def test_an_interval_in_days(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(LOG, encoding="utf-8")
    days = run(["uptime", *PERIOD, "--interval", "1d", "--csv", str(log)], capsys)
    assert days == run(
        ["uptime", *PERIOD, "--interval", "24h", "--csv", str(log)], capsys
    )
    assert days[1].count("\n") == 1 + 2


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_help_points_to_no_file_a_wheel_lacks(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main([name, "--help"])
    assert "docs/" not in capsys.readouterr().out


@pytest.mark.parametrize("name", ["uptime", "report"])
def test_help_describes_the_regimes_and_the_exclusions(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main([name, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for regime in REGIMES.values():
        assert f"{regime.name} {regime.title}: may exclude" in text
    assert "plain Every cause, no caps" in text
    for cause in Cause:
        assert f"{cause.value} {' '.join(cause.description.split())}" in text
    for key in ('"station"', '"connector"', '"start"', '"end"', '"cause"'):
        assert key in text

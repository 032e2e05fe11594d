from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import InvalidReport
from evstatus.history import DEFAULT_HEARTBEAT_TOLERANCE, is_online

HEARD = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
FIVE = timedelta(minutes=5)


def test_default_tolerance_is_two_intervals() -> None:
    assert DEFAULT_HEARTBEAT_TOLERANCE == 2.0
    assert is_online(HEARD, HEARD + 2 * FIVE, heartbeat_interval=FIVE)
    assert not is_online(
        HEARD, HEARD + 2 * FIVE + timedelta(microseconds=1), heartbeat_interval=FIVE
    )


@pytest.mark.parametrize(
    ("silence", "tolerance", "online"),
    [
        (timedelta(0), 1.0, True),
        (FIVE, 1.0, True),
        (FIVE + timedelta(seconds=1), 1.0, False),
        (3 * FIVE, 3, True),
        (3 * FIVE + timedelta(seconds=1), 3, False),
        (timedelta(minutes=7, seconds=30), 1.5, True),
        (-FIVE, 1.0, True),  # heard "later" than now: clocks differ
    ],
)
def test_silence_against_tolerance(
    silence: timedelta, tolerance: float, online: bool
) -> None:
    now = HEARD + silence
    assert is_online(HEARD, now, heartbeat_interval=FIVE, tolerance=tolerance) is online


def test_never_heard_is_offline() -> None:
    assert not is_online(None, HEARD, heartbeat_interval=FIVE)


def test_offsets_do_not_matter() -> None:
    elsewhere = HEARD.astimezone(timezone(timedelta(hours=-7)))
    assert is_online(elsewhere, HEARD + FIVE, heartbeat_interval=FIVE, tolerance=1)


def test_an_enormous_tolerance_means_always_online() -> None:
    assert is_online(
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 1, 1, tzinfo=UTC),
        heartbeat_interval=FIVE,
        tolerance=1e300,
    )


@given(
    silence=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    seconds=st.integers(min_value=1, max_value=86_400),
    tolerance=st.floats(min_value=1, max_value=10),
)
def test_online_exactly_while_silence_is_within_the_window(
    silence: timedelta, seconds: int, tolerance: float
) -> None:
    interval = timedelta(seconds=seconds)
    expected = silence <= interval * tolerance
    assert (
        is_online(
            HEARD, HEARD + silence, heartbeat_interval=interval, tolerance=tolerance
        )
        is expected
    )


@pytest.mark.parametrize(
    ("last_heard", "now", "interval", "tolerance", "error", "field"),
    [
        (datetime(2026, 1, 1), HEARD, FIVE, 2.0, ValueError, "last_heard"),  # noqa: DTZ001
        ("2026-01-01", HEARD, FIVE, 2.0, TypeError, "last_heard"),
        (HEARD, None, FIVE, 2.0, TypeError, "now"),
        (HEARD, HEARD, timedelta(0), 2.0, ValueError, "heartbeat_interval"),
        (HEARD, HEARD, 300, 2.0, TypeError, "heartbeat_interval"),
        (HEARD, HEARD, FIVE, 0.5, ValueError, "tolerance"),
        (HEARD, HEARD, FIVE, float("nan"), ValueError, "tolerance"),
        (HEARD, HEARD, FIVE, float("inf"), ValueError, "tolerance"),
        (HEARD, HEARD, FIVE, True, TypeError, "tolerance"),
        (HEARD, HEARD, FIVE, "2", TypeError, "tolerance"),
        (1, 2, 3, None, TypeError, "last_heard"),
    ],
)
def test_bad_arguments_are_reported(  # noqa: PLR0917
    last_heard: object,
    now: object,
    interval: object,
    tolerance: object,
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error, match=rf"^{field}: got .*, expected ") as caught:
        is_online(
            last_heard,  # type: ignore[arg-type]
            now,  # type: ignore[arg-type]
            heartbeat_interval=interval,  # type: ignore[arg-type]
            tolerance=tolerance,  # type: ignore[arg-type]
        )
    assert not isinstance(caught.value, InvalidReport)

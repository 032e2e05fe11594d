"""RFC 3339 timestamps: the grammar, its edges, and the round trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus._timestamps import format_timestamp, is_representable, parse_timestamp
from evstatus.testing.strategies import aware_datetimes

from .rfc3339 import is_rfc3339, utc_instant_fits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22T10:15:00Z", datetime(2026, 11, 22, 10, 15, tzinfo=UTC)),
        ("2026-11-22t10:15:00z", datetime(2026, 11, 22, 10, 15, tzinfo=UTC)),
        ("2026-11-22T10:15:00-00:00", datetime(2026, 11, 22, 10, 15, tzinfo=UTC)),
        (
            "2026-11-22T10:15:00.1234567891+05:45",
            datetime(
                2026, 11, 22, 10, 15, 0, 123456, tzinfo=timezone(timedelta(hours=5.75))
            ),
        ),
        ("2024-02-29T00:00:00Z", datetime(2024, 2, 29, tzinfo=UTC)),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        (
            "9999-12-31T23:59:59.999999Z",
            datetime(9999, 12, 31, 23, 59, 59, 999999, UTC),
        ),
        ("0001-01-01T00:00:00-01:00", datetime(1, 1, 1, 1, tzinfo=UTC)),
    ],
)
def test_valid(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() is not None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-11-22",
        "2026-11-22T10:15Z",
        "2026-11-22T10:15:00",
        "2026-11-22 10:15:00Z",
        "2026-11-22T10:15:00+0100",
        "2026-11-22T10:15:00+01",
        "2026-11-22T10:15:00+01:00:00",
        "2026-11-22T10:15:00.Z",
        "2026-11-22T10:15:00,5Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T10:60:00Z",
        "2026-11-22T23:59:60Z",
        "2026-11-22T10:15:00+24:00",
        "2026-11-22T10:15:00+01:60",
        "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-00:01",
        "20261122T101500Z",
        "2026-W47-7T10:15:00Z",
        "２０２６-11-22T10:15:00Z",
        "2026-11-22T10:15:00Z\n",
        " 2026-11-22T10:15:00Z",
    ],
)
def test_invalid(text: str) -> None:
    assert parse_timestamp(text) is None


@given(aware_datetimes())
def test_format_then_parse_is_the_same_instant(moment: datetime) -> None:
    text = format_timestamp(moment)
    assert text.endswith("Z")
    assert is_rfc3339(text)
    assert parse_timestamp(text) == moment
    # The fewest fraction digits that keep it exact: 0, 3 or 6.
    fraction = text[19:-1]
    micro = moment.astimezone(UTC).microsecond
    if not micro:
        assert fraction == ""
    elif micro % 1000:
        assert len(fraction) == 7
    else:
        assert len(fraction) == 4


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("2026-06-01T08:00:00Z", "2026-06-01T08:00:00Z"),
        ("2026-06-01T08:00:00.000Z", "2026-06-01T08:00:00Z"),
        ("2026-06-01T08:00:00.778Z", "2026-06-01T08:00:00.778Z"),
        ("2026-06-01T08:00:00.5Z", "2026-06-01T08:00:00.500Z"),
        ("2026-06-01T08:00:00.77801Z", "2026-06-01T08:00:00.778010Z"),
        ("2026-06-01T08:00:00.000001Z", "2026-06-01T08:00:00.000001Z"),
        ("2026-06-01T10:00:00.123+02:00", "2026-06-01T08:00:00.123Z"),
    ],
)
def test_times_are_written_with_the_fewest_exact_fraction_digits(
    text: str, written: str
) -> None:
    moment = parse_timestamp(text)
    assert moment is not None
    assert format_timestamp(moment) == written


_DIGITS = st.text("0123456789", min_size=1, max_size=4)
_PIECES = st.sampled_from(["-", ":", "T", "t", "Z", "z", "+", ".", " ", "\n", "٣"])
_near_rfc3339 = st.lists(_DIGITS | _PIECES, max_size=16).map("".join)
_rfc3339_shaped = st.builds(
    "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}{}".format,
    st.integers(0, 10000),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from("Tt "),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["", ".5", ".123456789", "."]),
    st.sampled_from(["Z", "z", "", "+00:00", "-23:59", "+24:00", "+01:60", "+0100"]),
)


@given(_rfc3339_shaped | _near_rfc3339 | st.text(max_size=40))
def test_agrees_with_an_independent_validator(text: str) -> None:
    parsed = parse_timestamp(text)
    if not is_rfc3339(text):
        assert parsed is None
    else:
        # Valid RFC 3339 that datetime cannot hold is the one documented gap.
        assert (parsed is not None) == utc_instant_fits(text)


def test_is_representable() -> None:
    assert is_representable(datetime(2026, 1, 1, tzinfo=UTC))
    assert not is_representable(datetime(2026, 1, 1))  # noqa: DTZ001
    east = timezone(timedelta(hours=1))
    assert not is_representable(datetime(1, 1, 1, tzinfo=east))

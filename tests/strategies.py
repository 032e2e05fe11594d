"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

from evstatus import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
)

offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)

aware_datetimes = st.datetimes(
    min_value=datetime(2, 1, 1),  # noqa: DTZ001  (hypothesis wants naive bounds)
    max_value=datetime(9998, 12, 31),  # noqa: DTZ001
    timezones=st.one_of(st.just(UTC), offsets),
)

texts = {limit: st.none() | st.text(max_size=limit) for limit in (50, 255)}


@st.composite
def reports(
    draw: st.DrawFn,
    connector_ids: st.SearchStrategy[int] = st.integers(0, 4),
    timestamps: st.SearchStrategy[datetime | None] = st.none() | aware_datetimes,
) -> ConnectorReport:
    connector_id = draw(connector_ids)
    statuses = (
        sorted(CONNECTOR_ZERO_STATUSES)
        if connector_id == 0
        else list(ChargePointStatus)
    )
    return ConnectorReport(
        connector_id=connector_id,
        status=draw(st.sampled_from(statuses)),
        error_code=draw(st.sampled_from(ChargePointErrorCode)),
        timestamp=draw(timestamps),
        info=draw(texts[50]),
        vendor_id=draw(texts[255]),
        vendor_error_code=draw(texts[50]),
    )


# Anything json.loads could return, and then some: the parser must survive it.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from([member.value for member in ChargePointStatus])
    | st.sampled_from([member.value for member in ChargePointErrorCode])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=20), inner, max_size=4)
    ),
    max_leaves=12,
)

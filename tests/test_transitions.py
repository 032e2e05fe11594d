import itertools
from collections.abc import Mapping

import pytest

from evstatus import CONNECTOR_ZERO_STATUSES, ChargePointStatus, InvalidReport, rules
from evstatus.rules import (
    CONNECTOR_ZERO_TRANSITIONS,
    STATE_LETTERS,
    TRANSITIONS,
    Transition,
    classify_transition,
)

S = ChargePointStatus

# Written out by hand from the OCPP 1.6 Edition 2 table (section 4.9), row by
# row, so that the module's table is checked against an independent copy.
EXPECTED_CODES = {
    "A": "2345789",
    "B": "134569",
    "C": "145689",
    "D": "135689",
    "E": "134689",
    "F": "1289",
    "G": "1289",
    "H": "123459",
    "I": "12345678",
}
LETTER = {
    "A": S.AVAILABLE,
    "B": S.PREPARING,
    "C": S.CHARGING,
    "D": S.SUSPENDED_EV,
    "E": S.SUSPENDED_EVSE,
    "F": S.FINISHING,
    "G": S.RESERVED,
    "H": S.UNAVAILABLE,
    "I": S.FAULTED,
}
DIGIT = {str(index): LETTER[letter] for index, letter in enumerate("ABCDEFGHI", 1)}
EXPECTED = {
    (LETTER[letter], DIGIT[digit]): letter + digit
    for letter, digits in EXPECTED_CODES.items()
    for digit in digits
}
EXPECTED_ZERO = {
    (S.AVAILABLE, S.UNAVAILABLE): "A8",
    (S.AVAILABLE, S.FAULTED): "A9",
    (S.UNAVAILABLE, S.AVAILABLE): "H1",
    (S.UNAVAILABLE, S.FAULTED): "H9",
    (S.FAULTED, S.AVAILABLE): "I1",
    (S.FAULTED, S.UNAVAILABLE): "I8",
}


def test_the_table_has_the_53_transitions_of_edition_2() -> None:
    assert len(EXPECTED) == 53
    assert set(TRANSITIONS) == set(EXPECTED.values())
    assert list(TRANSITIONS) == sorted(TRANSITIONS)


def test_letters_follow_the_table_not_the_enum() -> None:
    assert {letter: STATE_LETTERS[state] for letter, state in LETTER.items()} == {
        letter: letter for letter in LETTER
    }
    # The enum lists SuspendedEVSE first; the table does the opposite.
    assert STATE_LETTERS[S.SUSPENDED_EV] == "D"
    assert STATE_LETTERS[S.SUSPENDED_EVSE] == "E"


@pytest.mark.parametrize(
    ("previous", "current"), list(itertools.product(S, S)), ids=str
)
def test_every_pair_on_a_connector(previous: S, current: S) -> None:
    found = classify_transition(previous, current)
    code = EXPECTED.get((previous, current))
    if code is None:
        assert found is None
    else:
        assert found is not None
        assert (found.code, found.source, found.target) == (code, previous, current)
        assert TRANSITIONS[code] is found


@pytest.mark.parametrize(
    ("previous", "current"), list(itertools.product(S, S)), ids=str
)
def test_every_pair_on_connector_zero(previous: S, current: S) -> None:
    found = classify_transition(previous, current, connector_id=0)
    code = EXPECTED_ZERO.get((previous, current))
    if code is None:
        assert found is None
    else:
        assert found is not None
        assert (found.code, found.source, found.target) == (code, previous, current)
        assert CONNECTOR_ZERO_TRANSITIONS[code] is found


def test_connector_zero_machine_is_the_connector_table_cut_to_its_states() -> None:
    cut = {
        code
        for (source, target), code in EXPECTED.items()
        if {source, target} <= CONNECTOR_ZERO_STATUSES
    }
    assert cut == set(CONNECTOR_ZERO_TRANSITIONS) == set(EXPECTED_ZERO.values())


@pytest.mark.parametrize("connector_id", [1, 2, 17])
def test_connectors_above_zero_share_the_table(connector_id: int) -> None:
    found = classify_transition(S.FAULTED, S.RESERVED, connector_id=connector_id)
    assert found is not None
    assert found.code == "I7"


def test_every_transition_has_a_short_trigger_in_words() -> None:
    for transition in (*TRANSITIONS.values(), *CONNECTOR_ZERO_TRANSITIONS.values()):
        assert 10 <= len(transition.trigger) <= 60
        assert transition.trigger == transition.trigger.strip()
        assert str(transition) == (
            f"{transition.code} {transition.source} -> {transition.target}: "
            f"{transition.trigger}"
        )


def test_fault_transitions() -> None:
    into_fault = [t.code for t in TRANSITIONS.values() if t.target is S.FAULTED]
    out_of_fault = [t.code for t in TRANSITIONS.values() if t.source is S.FAULTED]
    assert into_fault == ["A9", "B9", "C9", "D9", "E9", "F9", "G9", "H9"]
    assert out_of_fault == ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"]


def test_transition_is_frozen() -> None:
    transition = TRANSITIONS["B6"]
    assert isinstance(transition, Transition)
    with pytest.raises(AttributeError):
        transition.code = "B7"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (("Available", S.CHARGING, 1), TypeError, "previous: got 'Available'"),
        ((S.AVAILABLE, None, 1), TypeError, "current: got None"),
        ((S.AVAILABLE, S.CHARGING, -1), ValueError, "connector_id: got -1"),
        ((S.AVAILABLE, S.CHARGING, True), TypeError, "connector_id: got True"),
        ((S.AVAILABLE, S.CHARGING, "1"), TypeError, "connector_id: got '1'"),
        ((1, 2, 1.0), TypeError, "previous: got 1,"),
    ],
)
def test_bad_arguments_are_reported(
    arguments: tuple[object, object, object], error: type[Exception], message: str
) -> None:
    # A mistake of the caller's, not bad data: an ordinary TypeError or
    # ValueError naming the first bad argument.
    previous, current, connector_id = arguments
    with pytest.raises(error) as caught:
        classify_transition(
            previous,  # type: ignore[arg-type]
            current,  # type: ignore[arg-type]
            connector_id=connector_id,  # type: ignore[arg-type]
        )
    assert str(caught.value).startswith(message)
    assert not isinstance(caught.value, InvalidReport)


@pytest.mark.parametrize(
    ("table", "by_pair"),
    [
        (rules.TRANSITIONS, rules.TRANSITION_BY_PAIR),
        (rules.CONNECTOR_ZERO_TRANSITIONS, rules.CONNECTOR_ZERO_TRANSITION_BY_PAIR),
    ],
    ids=["connector", "connector 0"],
)
def test_the_tables_by_pair_hold_each_transition_once(
    table: Mapping[str, Transition],
    by_pair: Mapping[tuple[ChargePointStatus, ChargePointStatus], Transition],
) -> None:
    assert len(by_pair) == len(table)
    for transition in table.values():
        assert by_pair[transition.source, transition.target] is transition
    assert by_pair.get((ChargePointStatus.CHARGING, ChargePointStatus.CHARGING)) is None
    assert not hasattr(by_pair, "__setitem__")

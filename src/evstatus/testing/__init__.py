"""Tools for testing your own code that consumes OCPP status reports.

- ``generate_log``: a deterministic, seedable generator of realistic
  multi-station logs, in plain Python (no extra needed), also a command:
  ``python -m evstatus.testing generate --seed 7 --stations 50 --lines 200000``;
- ``to_ocpp201``: an OCPP 1.6 log rewritten as the same stations would log
  it over OCPP 2.0.1 (one connector per EVSE), for tests that compare the two;
- ``evstatus.testing.strategies``: Hypothesis strategies for valid and
  deviant payloads, reports, connector sessions and logs; it needs the
  ``testing`` extra, ``pip install 'evstatus[testing]'``.
"""

from __future__ import annotations

from ._generator import DEFAULT_START, Profile, generate_log
from ._translate import to_ocpp201

__all__ = ["DEFAULT_START", "Profile", "generate_log", "to_ocpp201"]

"""The package's public face: what it exports, its version, its type marker."""

from __future__ import annotations

import importlib
import pkgutil
from importlib import metadata, resources

import pytest

import evstatus
from evstatus import (
    derive_station,
    ocpp201,
)

PROMISED_NAMES = {
    "ChargePointStatus",
    "ChargePointErrorCode",
    "ConnectorStatus",
    "StationStatus",
    "ConnectorReport",
    "InvalidReport",
    "connector_status",
    "derive_station",
    "StationView",
    "Reason",
    "station_status",
}


def test_exports_every_name_users_are_promised() -> None:
    assert set(evstatus.__all__) >= PROMISED_NAMES


def test_all_names_are_unique_and_real() -> None:
    assert len(set(evstatus.__all__)) == len(evstatus.__all__)
    for name in evstatus.__all__:
        assert hasattr(evstatus, name), name


def test_public_objects_claim_the_package() -> None:
    for name in evstatus.__all__:
        module = getattr(getattr(evstatus, name), "__module__", "evstatus")
        assert module.startswith("evstatus"), name


def test_version_comes_from_the_installed_metadata() -> None:
    assert evstatus.__version__ == metadata.version("evstatus")


def test_ships_py_typed() -> None:
    assert resources.files("evstatus").joinpath("py.typed").is_file()


def test_runtime_dependencies_are_attrs_and_typing_extensions_only() -> None:
    requires = metadata.requires("evstatus") or []
    runtime = {
        requirement.split(">")[0].split("=")[0].split("<")[0].strip()
        for requirement in requires
        if "extra ==" not in requirement
    }
    assert runtime == {"attrs", "typing-extensions"}


# --- the namespace of each module ---------------------------------------------


# Every public module of the package, found rather than listed.
MODULES = sorted(
    f"evstatus.{module.name}"
    for module in pkgutil.iter_modules(evstatus.__path__)
    if not module.name.startswith("_")
)


def test_the_top_level_namespace_is_small() -> None:
    assert len(evstatus.__all__) <= 21


@pytest.mark.parametrize("name", MODULES)
def test_every_domain_module_exports_real_names(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__
    for exported in module.__all__:
        assert hasattr(module, exported), (name, exported)


def test_one_concept_has_one_name_in_both_protocol_modules() -> None:
    ocpp16 = importlib.import_module("evstatus.ocpp16")
    for shared in (
        "ConnectorReport",
        "StatusNotificationPayload",
        "StationView",
        "connector_status",
        "derive_station",
        "latest_reports",
        "station_status",
        "supersedes",
    ):
        assert shared in ocpp16.__all__
        assert shared in ocpp201.__all__
    assert ocpp16.derive_station is derive_station
    assert ocpp16.StationView is ocpp201.StationView


def test_lazy_names_load_on_first_use_and_unknown_names_fail() -> None:
    assert evstatus.Fleet is importlib.import_module("evstatus.log").Fleet
    assert "Fleet" in dir(evstatus)
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = evstatus.Nope  # type: ignore[attr-defined]
    ocpp16 = importlib.import_module("evstatus.ocpp16")
    assert ocpp16.Repair is importlib.import_module("evstatus.ocpp201").Repair
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = ocpp16.Nope

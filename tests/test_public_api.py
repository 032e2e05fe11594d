"""The package's public face: what it exports, its version, its type marker."""

from __future__ import annotations

from importlib import metadata, resources

import evstatus

SPEC_NAMES = {
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


def test_exports_every_name_the_spec_fixes() -> None:
    assert set(evstatus.__all__) >= SPEC_NAMES


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

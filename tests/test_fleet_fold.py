"""The Dask recipe on a real local cluster: the same views as ``evstatus replay``."""

# Dask ships type information for few of its functions.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import cast

import pytest

pytest.importorskip("dask", reason="the recipe needs the distributed group")
pytest.importorskip("distributed", reason="the recipe needs the distributed group")

import fleet_fold
from dask.distributed import Client, LocalCluster

from evstatus import _cli as cli
from evstatus.log import Fleet, FleetSettings
from evstatus.testing import generate_log, to_ocpp201
from tests.test_jobs import AWKWARD

from .folding import feed_line

PARTS = 3


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    # Worker processes, as on a real cluster: every group crosses a pickle.
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            # Any free port: two suites run side by side in CI.
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def write_parts(directory: Path) -> tuple[list[str], bytes]:
    """A generated log with awkward and bad lines, cut into parts; and the whole."""
    lines = [
        line.encode()
        for line in generate_log(seed=4, stations=60, lines=3000, profile="stress")
    ]
    for offset, line in enumerate(AWKWARD):
        lines.insert(53 * offset + 7, line.encode())
    lines.append(b"\xff not utf-8")
    directory.mkdir()
    paths: list[str] = []
    size = len(lines) // PARTS + 1
    for index in range(PARTS):
        path = directory / f"part-{index:05d}.jsonl"
        path.write_bytes(
            b"".join(line + b"\n" for line in lines[index * size :][:size])
        )
        paths.append(str(path))
    return paths, b"".join(line + b"\n" for line in lines)


def read_records(directory: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in sorted(directory.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_the_recipe_gives_the_views_replay_gives(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    del client  # the recipe runs on the current client
    paths, whole = write_parts(tmp_path / "log")
    (tmp_path / "whole.jsonl").write_bytes(whole)

    stations = fleet_fold.fold_log(paths, tmp_path / "out", partitions=4)

    assert cli.main(["replay", "--json", str(tmp_path / "whole.jsonl")]) == 1
    captured = capsys.readouterr()
    expected = [json.loads(line) for line in captured.out.splitlines()]
    views = sorted(
        read_records(tmp_path / "out" / "views"), key=lambda r: str(r["station"])
    )
    assert stations == len(views) == len(expected) > 50
    assert [
        {k: v for k, v in view.items() if k != "ocpi"} for view in views
    ] == expected

    # The OCPI statuses are those of the same fold in one process.
    fleet = Fleet()
    for line in whole.decode("utf-8", "replace").splitlines():
        try:
            feed_line(fleet, line)
        except ValueError:
            continue
    assert {view["station"]: view["ocpi"] for view in views} == {
        station: {str(key): value.value for key, value in view.ocpi_statuses().items()}
        for station, view in fleet.views().items()
    }

    # Every bad line is reported once, by the part it is in and its number there.
    problems = read_records(tmp_path / "out" / "problems")
    reported = sorted(
        (str(p["file"]), int(str(p["line"])), str(p["problem"])) for p in problems
    )
    size = len(whole.splitlines()) // PARTS + 1
    replayed: list[tuple[str, int, str]] = []
    for line in captured.err.splitlines()[:-1]:
        _, number, problem = line.split(":", 2)
        index, within = divmod(int(number) - 1, size)
        replayed.append((f"part-{index:05d}.jsonl", within + 1, problem.strip()))
    assert reported == replayed
    assert len(reported) >= 7

    # Each file ends its last record with a newline, and no file holds a
    # blank line, so the files concatenated are one record per line.
    for name, records in (("views", views), ("problems", problems)):
        files = sorted((tmp_path / "out" / name).glob("*.jsonl"))
        texts = [path.read_bytes() for path in files]
        assert len(texts) > 1
        assert all(text == b"" or text.endswith(b"\n") for text in texts), name
        joined = b"".join(texts).decode("utf-8")
        assert "\n\n" not in joined
        assert not joined.startswith("\n")
        concatenated = [json.loads(line) for line in joined.split("\n")[:-1]]
        assert sorted(map(json.dumps, concatenated)) == sorted(
            map(json.dumps, records)
        ), name


def test_a_new_analysis_is_one_more_function_per_station(
    client: Client, tmp_path: Path
) -> None:
    del client
    paths, whole = write_parts(tmp_path / "log")

    def lines_seen(
        station: str,
        lines: Sequence[fleet_fold.Line],
        names: Sequence[str],
        settings: FleetSettings,
    ) -> fleet_fold.Record:
        assert settings == FleetSettings()
        return {
            "station": station,
            "lines": [[names[index], number] for index, number, _ in lines],
        }

    per_station = {**fleet_fold.PER_STATION, "seen": lines_seen}
    fleet_fold.fold_log(paths, tmp_path / "out", partitions=3, per_station=per_station)
    seen = read_records(tmp_path / "out" / "seen")
    # Each station's lines come back in log order, all of them, once.
    assert all(
        record["lines"] == sorted(cast("list[list[str]]", record["lines"]))
        for record in seen
    )
    assert sum(len(cast("list[object]", r["lines"])) for r in seen) == len(
        whole.splitlines()
    )
    assert (tmp_path / "out" / "views").is_dir()


def test_the_recipe_folds_by_the_settings_it_is_given(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Lenient reading and the default station reach every worker: the views
    # are those of the replay with the same options.
    del client
    repairable = {"connectorId": "1", "errorCode": "noError", "status": "charging"}
    lines = [
        json.dumps({"event": "connected"}),
        json.dumps({"payload": repairable}),
        json.dumps({"station": "CP-2", "payload": {**repairable, "status": "faulted"}}),
        *generate_log(seed=5, stations=4, lines=80),
    ]
    log = tmp_path / "log"
    log.mkdir()
    (log / "part-00000.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = FleetSettings(default_station="CP-X", lenient=True)
    fleet_fold.fold_log(
        [str(log / "part-00000.jsonl")],
        tmp_path / "out",
        partitions=2,
        settings=settings,
    )
    replay = ["replay", "--json", "--lenient", "--station", "CP-X"]
    assert cli.main([*replay, str(log / "part-00000.jsonl")]) == 0
    expected = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    views = sorted(
        read_records(tmp_path / "out" / "views"), key=lambda r: str(r["station"])
    )
    assert [{k: v for k, v in view.items() if k != "ocpi"} for view in views] == (
        expected
    )
    assert {"CP-X", "CP-2"} <= {view["station"] for view in views}
    assert read_records(tmp_path / "out" / "problems") == []


def _renamed(line: str, prefix: str) -> str:
    envelope = json.loads(line)
    envelope["station"] = envelope["station"].replace("CP-", prefix, 1)
    return json.dumps(envelope)


def test_a_log_mixing_protocols_folds_as_replay_folds_it(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One fleet in OCPP 1.6 (CP-...), the same translated to 2.0.1 (EV-...).

    The recipe gives the views the replay gives, and every 2.0.1 station ends
    in the status its 1.6 twin ends in.
    """
    del client
    ocpp16 = list(generate_log(seed=6, stations=20, lines=2000, profile="stress"))
    ocpp201 = [_renamed(line, "EV-") for line in to_ocpp201(ocpp16)]
    # Both in order of receipt; stable, so a station's lines keep their order.
    lines = sorted(ocpp16 + ocpp201, key=lambda line: json.loads(line)["received"])
    log = tmp_path / "log"
    log.mkdir()
    paths: list[str] = []
    size = len(lines) // PARTS + 1
    for index in range(PARTS):
        path = log / f"part-{index:05d}.jsonl"
        path.write_text(
            "".join(line + "\n" for line in lines[index * size :][:size]),
            encoding="utf-8",
        )
        paths.append(str(path))
    whole = tmp_path / "whole.jsonl"
    whole.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    stations = fleet_fold.fold_log(paths, tmp_path / "out", partitions=4)

    assert cli.main(["replay", "--json", str(whole)]) == 0
    expected = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    views = sorted(
        read_records(tmp_path / "out" / "views"), key=lambda r: str(r["station"])
    )
    assert stations == len(views) == len(expected) == 40
    assert [
        {k: v for k, v in view.items() if k != "ocpi"} for view in views
    ] == expected
    assert read_records(tmp_path / "out" / "problems") == []
    status = {str(view["station"]): view["status"] for view in views}
    for number in range(1, 21):
        assert status[f"EV-{number:05d}"] == status[f"CP-{number:05d}"], number

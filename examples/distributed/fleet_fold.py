"""Fold a partitioned evstatus log on a Dask cluster, one task per station group.

The log is a directory of JSON Lines files, the parts of one log in the order
of their names (one file a day, say); each file is a log as ``evstatus replay``
reads it, its stations speaking OCPP 1.6, 2.0.1 or 2.1 (each line says so in
its envelope's ``protocol``, or takes the settings' default). The recipe

1. reads every part in parallel, tagging each line with its place in the log
   (the part's index and the line's number) and its station;
2. groups the lines by station (a shuffle across the cluster);
3. runs each function of :data:`PER_STATION` on each group, its lines put back
   in log order: a station's state depends on its own lines only, so every
   group folds on its own, by the same :class:`~evstatus.log.FleetSettings`
   (carried whole to every worker);
4. writes one JSON record per station (``views/``) and one per bad line
   (``problems/``), as JSON Lines, from the workers.

A per-station view is what ``evstatus replay --json`` prints for the station,
plus the OCPI status of each connector. Another analysis of a station's lines
(uptime per port, say) is one more entry in :data:`PER_STATION`.

Run it on a local cluster of two worker processes::

    python examples/distributed/fleet_fold.py LOG_DIR OUT_DIR --workers 2

or give ``--scheduler tcp://host:8786`` to use a running cluster (every worker
then needs evstatus and this file on its path).
"""

# Dask ships type information for few of its functions.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false
# pyright: reportUnknownArgumentType=false

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final, cast

import dask.bag as db
from dask.base import compute
from dask.distributed import Client, LocalCluster

from evstatus import InvalidReport
from evstatus.log import BadLine, Fleet, FleetSettings, read_log, station_record

__all__ = ["PER_STATION", "fold_group", "fold_log", "lines_of", "station_of"]

DEFAULT_STATION: Final = FleetSettings().default_station
"""The station of lines that name none, as ``evstatus replay`` has it."""

_BOM: Final = b"\xef\xbb\xbf"

Line = tuple[int, int, bytes]
"""A line of the log: (the part's index, the line's number in it, its bytes)."""
Group = tuple[str, list[tuple[str, Line]]]
"""A station, and its lines as the shuffle hands them over, in any order."""
Record = dict[str, object]


def station_of(raw: bytes, default: str = DEFAULT_STATION) -> str:
    """The station a line is about: the envelope's, else *default*.

    A line that is no JSON at all goes with the default station's, and is
    reported there as a bad line.
    """
    try:
        value: object = json.loads(raw.decode("utf-8"))
    except ValueError:  # not UTF-8, or not JSON
        return default
    if isinstance(value, dict):
        station = cast("dict[str, object]", value).get("station")
        if isinstance(station, str):
            return station
    return default


def lines_of(
    part: tuple[int, str], default: str = DEFAULT_STATION
) -> Iterator[tuple[str, Line]]:
    """Every line of one part of the log, with its station and its place."""
    index, path = part
    with Path(path).open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            # Each part is a log of its own: a byte order mark may open it.
            line = raw.removeprefix(_BOM) if number == 1 else raw
            yield station_of(line, default), (index, number, line)


def station_view(
    station: str, lines: Sequence[Line], names: Sequence[str], settings: FleetSettings
) -> Record:
    """Fold one station's lines by *settings*; its view and the bad lines among them.

    The lines are read by :func:`evstatus.log.read_log` and each item fed to
    the fleet, as ``evstatus replay`` does. The record holds what ``evstatus
    replay --json`` prints for the station (``view``, None if no line told
    anything about it) and each bad line as ``{"file", "line", "problem"}``
    (``problems``), in log order.
    """
    fleet = Fleet.from_settings(settings)
    found: list[tuple[int, int, str]] = []
    texts: list[str] = []
    places: list[tuple[int, int]] = []
    for index, number, raw in lines:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            found.append((index, number, "the line is not UTF-8 text"))
            continue
        texts.append(text.rstrip("\r\n"))
        places.append((index, number))
    # Numbered from 0: a line's number is its place in `places`.
    read = read_log(
        texts,
        start=0,
        default_station=settings.default_station,
        protocol=settings.protocol,
    )
    for line in read:
        if isinstance(line, BadLine):
            error = line.error
        else:
            try:
                fleet.feed(line.station, line.item, at=line.received)
            except InvalidReport as bad:
                error = bad
            else:
                continue
        problem = "; ".join(str(item) for item in error.problems)
        found.append((*places[line.number], problem))
    problems: list[Record] = [
        {"file": names[index], "line": number, "problem": problem}
        for index, number, problem in sorted(found)
    ]
    return {"view": _view_record(station, fleet), "problems": problems}


def _view_record(station: str, fleet: Fleet) -> Record | None:
    state = fleet.states.get(station)
    if state is None:
        return None
    view = fleet.view(station)
    # The very record `evstatus replay --json` prints, and the OCPI statuses.
    return {
        **station_record(station, state, view),
        "ocpi": {str(key): value.value for key, value in view.ocpi_statuses().items()},
    }


PerStation = Callable[[str, Sequence[Line], Sequence[str], FleetSettings], Record]

PER_STATION: Final[dict[str, PerStation]] = {"fold": station_view}
"""What runs on each station's lines, by name: each gets the station, its lines
in log order, the parts' names and the fold's settings, and returns a
JSON-able record."""


def fold_group(
    group: Group,
    names: Sequence[str],
    per_station: Mapping[str, PerStation],
    settings: FleetSettings,
) -> Record:
    """Run every function of *per_station* on one station's lines, in log order."""
    station, tagged = group
    lines = sorted((line for _, line in tagged), key=lambda line: line[:2])
    record: Record = {"station": station}
    for name, function in per_station.items():
        record[name] = function(station, lines, names, settings)
    return record


def fold_log(
    paths: Sequence[str],
    out: Path,
    *,
    partitions: int,
    per_station: Mapping[str, PerStation] = PER_STATION,
    settings: FleetSettings = FleetSettings(),  # noqa: B008  (frozen: safe to share)
) -> int:
    """Fold the log made of *paths*, on the current Dask client, into *out*.

    Every station is folded by *settings*, as ``evstatus replay`` with the
    same options folds it.

    The ``fold`` function's records go to ``out/views`` and ``out/problems``;
    any other function's to ``out/NAME``, one JSON line per station. Returns
    how many stations have a view.
    """
    names = [Path(path).name for path in paths]
    parts = db.from_sequence(list(enumerate(paths)), npartitions=len(paths))
    lines = parts.map(lines_of, default=settings.default_station).flatten()
    groups = lines.groupby(_station_key, shuffle="tasks", npartitions=partitions)
    # Kept on the workers: every output below is read from the same groups.
    folded = groups.map(
        fold_group, names=names, per_station=per_station, settings=settings
    ).persist()
    outputs: dict[str, db.Bag] = {}
    for name in per_station:
        results = folded.pluck(name)
        if name == "fold":
            outputs["views"] = results.pluck("view").filter(_is_record)
            outputs["problems"] = results.pluck("problems").flatten()
        else:
            outputs[name] = results
    compute(
        *(
            db.to_textfiles(
                bag.map_partitions(_jsonl_text),
                str(out / name / "*.jsonl"),
                compute=False,
            )
            for name, bag in outputs.items()
        )
    )
    return cast("int", outputs["views"].count().compute())


def _jsonl_text(records: Iterable[Record]) -> list[str]:
    """A partition's records as one text, each record a line ending in a newline.

    Dask's text writer puts newlines only between a partition's items, so a
    file would end without one and files concatenated would join two
    records; one item per partition, every line ended, avoids that (and
    leaves the file of an empty partition empty, not a blank line).
    """
    text = "".join(json.dumps(record) + "\n" for record in records)
    return [text] if text else []


def _station_key(pair: tuple[str, Line]) -> str:
    return pair[0]


def _is_record(view: Record | None) -> bool:
    return view is not None


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, start or join a cluster, fold, say how long it took."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("log", type=Path, help="a directory of *.jsonl parts")
    parser.add_argument("out", type=Path, help="where views/ and problems/ go")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--scheduler", help="the address of a running scheduler")
    parser.add_argument(
        "--protocol",
        choices=["ocpp1.6", "ocpp2.0.1", "ocpp2.1"],
        default="ocpp1.6",
        help="the protocol of lines that name none (default %(default)s)",
    )
    options = parser.parse_args(argv)
    paths = sorted(str(path) for path in options.log.glob("*.jsonl"))
    if not paths:
        parser.error(f"{options.log}: no *.jsonl files")
    started = time.perf_counter()
    if options.scheduler:
        client = Client(options.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=options.workers,
            threads_per_worker=1,
            dashboard_address=":0",  # any free port, never a fixed one
        )
        client = Client(cluster)
    ready = time.perf_counter()
    with client:
        stations = fold_log(
            paths,
            options.out,
            partitions=max(2, len(paths)),
            settings=FleetSettings(protocol=options.protocol),
        )
    done = time.perf_counter()
    if cluster is not None:
        cluster.close()
    print(
        f"{stations} stations from {len(paths)} parts: cluster ready in "
        f"{ready - started:.1f} s, folded in {done - ready:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The shared data files the demo is built from: real codes, names and the catalog."""

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CATALOG_FILE = "guangan_511602_service_items.csv"
TOWNSHIPS_FILE = "china-division-2.7.0_streets_2023.csv"
VILLAGES_FILE = "china-division-2.7.0_villages_511602_guangan.csv"


@dataclass(frozen=True)
class Place:
    """A township or village as the division files list it."""

    code: str
    name: str
    parent_code: str


def shared_data_dir():
    """``../shared/data`` next to the project, or the directory named by ``BIANMIN_SHARED_DATA``."""
    override = os.environ.get("BIANMIN_SHARED_DATA")
    if override:
        return Path(override)
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def data_file(name):
    path = shared_data_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"Shared data file not found: {path} (set BIANMIN_SHARED_DATA to the data directory)"
        )
    return path


def _rows(name):
    with data_file(name).open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def read_townships(county_code):
    """The county's townships in code order."""
    places = [
        Place(row["code"], row["name"], row["areaCode"])
        for row in _rows(TOWNSHIPS_FILE)
        if row["areaCode"] == county_code
    ]
    return sorted(places, key=lambda p: p.code)


def read_villages(county_code):
    """The county's villages and communities in code order; ``parent_code`` is the township."""
    places = [
        Place(row["code"], row["name"], row["streetCode"])
        for row in _rows(VILLAGES_FILE)
        if row["areaCode"] == county_code
    ]
    return sorted(places, key=lambda p: p.code)


def read_catalog_codes():
    """Item name → the local item codes (``sczwfw_item_code``) that carry that name."""
    codes = {}
    for row in _rows(CATALOG_FILE):
        codes.setdefault(row["item_name"], []).append(row["sczwfw_item_code"])
    return codes

"""The outlet registry and the wire agencies (tasks/data/outlets.toml, agencies.toml), looked up by any alias."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str
    language: str
    languages: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Agency:
    name: str
    full_name: str
    country: str
    language: str
    aliases: tuple[str, ...]


def alias_key(text: str) -> str:
    """Compare names the way people write them: case, spacing and punctuation ignored, accents kept.

    Leading articles stay: without them 'The Times' or 'Die Welt' would answer to an ordinary word.
    """
    t = unicodedata.normalize("NFKC", text).casefold().strip().strip("«»“”\"'‘’《》「」 ")
    t = re.sub(r"[\s.'’`´\-_]+", " ", t).strip()
    return t


@dataclass(frozen=True)
class Registry:
    outlets: dict[str, Outlet]
    agencies: dict[str, Agency]

    def outlet(self, name: str) -> Outlet | None:
        return self.outlets.get(alias_key(name))

    def agency(self, name: str) -> Agency | None:
        return self.agencies.get(alias_key(name))


@cache
def registry(data_dir: Path = DATA_DIR) -> Registry:
    outlets: dict[str, Outlet] = {}
    for raw in tomllib.loads((data_dir / "outlets.toml").read_text("utf-8")).get("outlet", []):
        o = Outlet(
            name=raw["name"],
            country=raw["country"],
            language=raw["language"],
            languages=tuple(raw.get("languages") or [raw["language"]]),
            aliases=tuple(raw.get("aliases", [])),
        )
        for alias in (o.name, *o.aliases):
            outlets.setdefault(alias_key(alias), o)
    agencies: dict[str, Agency] = {}
    for raw in tomllib.loads((data_dir / "agencies.toml").read_text("utf-8")).get("agency", []):
        a = Agency(
            name=raw["name"],
            full_name=raw.get("full_name", raw["name"]),
            country=raw["country"],
            language=raw["language"],
            aliases=tuple(raw.get("aliases", [])),
        )
        for alias in (a.name, a.full_name, *a.aliases):
            agencies.setdefault(alias_key(alias), a)
    return Registry(outlets=outlets, agencies=agencies)

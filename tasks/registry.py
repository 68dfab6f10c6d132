"""The outlet registry and the wire agencies (tasks/data/outlets.toml, agencies.toml), looked up by any alias."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


class RegistryError(ValueError):
    pass


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


_NAME_SEPARATORS = re.compile(r"[\s.'’`´\-_]+")


@lru_cache(maxsize=16384)  # the same names and candidate word runs come back dump after dump
def alias_key(text: str) -> str:
    """Compare names the way people write them: case, spacing and punctuation ignored, accents kept.

    Leading articles stay: without them 'The Times' or 'Die Welt' would answer to an ordinary word.
    """
    t = unicodedata.normalize("NFKC", text).casefold().strip().strip("«»“”\"'‘’《》「」 ")
    t = _NAME_SEPARATORS.sub(" ", t).strip()
    return t


@dataclass(frozen=True)
class Registry:
    outlets: dict[str, Outlet]
    agencies: dict[str, Agency]

    def outlet(self, name: str) -> Outlet | None:
        return self.outlets.get(alias_key(name))

    def agency(self, name: str) -> Agency | None:
        return self.agencies.get(alias_key(name))


USER_REGISTRY_ENV = "NEWSPREP_REGISTRY"


def user_registry_files() -> list[Path]:
    """Registry files of the user's own (NEWSPREP_REGISTRY, paths separated like PATH), read after ours."""
    value = os.environ.get(USER_REGISTRY_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p]


@cache
def registry(data_dir: Path = DATA_DIR) -> Registry:
    """Outlets and agencies by alias. Entries of user files (same format, [[outlet]] and [[agency]]) come
    first, so a user can add outlets and correct one of ours without editing the package."""
    sources = [*user_registry_files(), data_dir / "outlets.toml", data_dir / "agencies.toml"]
    outlet_rows: list[dict] = []
    agency_rows: list[dict] = []
    for path in sources:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RegistryError(f"cannot read registry file {path}: {exc}") from exc
        outlet_rows += data.get("outlet", [])
        agency_rows += data.get("agency", [])
    outlets: dict[str, Outlet] = {}
    for raw in outlet_rows:
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
    for raw in agency_rows:
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


_CAPITAL = re.compile(r"[A-ZÀ-Þ\u0400-\u042f\u0600-\u06ff\u4e00-\u9fff]")
_NAME_EDGES = "▾▸›»«,.:;()\"'“”„"
MAX_NAME_WORDS = 5


def outlets_named_in(text: str) -> list[Outlet]:
    """Registered outlets named in a short line, by runs of up to five words starting with a capital
    ('Services Le Monde ▾', '© ЗАО "Редакция газеты "Московский Комсомолец"'); longest name first at each word."""
    reg = registry()
    words = text.split()
    found: list[Outlet] = []
    for i, word in enumerate(words):
        if not _CAPITAL.match(word.lstrip(_NAME_EDGES)):
            continue
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            outlet = reg.outlet(" ".join(words[i : i + n]).strip(_NAME_EDGES))
            if outlet is not None:
                if outlet not in found:
                    found.append(outlet)
                break
    return found

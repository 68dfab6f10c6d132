"""Matchers: line rules that need the registry or the date reader, named by rules with `matcher = "..."`."""

from __future__ import annotations

import re

from tasks.dates import read_date_line
from tasks.registry import outlets_named_in, registry

_AGENCY_SEPARATORS = re.compile(
    r"\s*(?:,|/|&|\+|;|\band\b|\by\b|\be\b|\bund\b|\bet\b|\bwith\b|\bcon\b|\bmit\b|\bavec\b|\bи\b|和|及|、)\s*"
)
# Credit phrases before a list of agencies: 'With reporting by AP', 'Con información de EFE y AFP'.
_CREDIT_PREFIX = re.compile(
    r"^(?i:(?:with )?(?:additional )?reporting by|con informaci[oó]n(?:es)? de|com informações d[eoa]s?|"
    r"mit material von|avec|по материалам|据|综合)\s+"
)
_ARABIC_AND = re.compile(r"\s+و(?=[\u0600-\u06ff])")
_COPYRIGHT_HEAD = re.compile(r"^(?:(?:©|\(c\)|copyright\b|ⓒ|все права защищены|جميع الحقوق محفوظة|حقوق النشر|todos los derechos reservados|版权所有|版權所有)[\s.,]*)*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)?\s*[,.]?\s*", re.I)
_COPYRIGHT_TAIL = re.compile(
    r"[\s,.;|–-]*(?:(?:19|20)\d\d)?[\s,.;|–-]*(?:all rights reserved|todos los derechos reservados|"
    r"alle rechte vorbehalten|tous droits réservés|todos os direitos reservados|tutti i diritti riservati|"
    r"все права защищены|جميع الحقوق محفوظة|(?:版权所有|版權所有|保留所有权利).*)?\.?\s*$",
    re.I,
)


def agency_list(text: str) -> dict[str, str] | None:
    """'AFP and Sputnik', 'EFE y AFP', 'dpa/AFP', '(Reuters)': a line made only of wire agency names."""
    core = text.strip().strip("()[]—–-").strip()  # '(Reuters)', '— AP': a sign-off on its own line
    if not core or len(core) > 80:
        return None
    core = _CREDIT_PREFIX.sub("", _ARABIC_AND.sub(" , ", core))  # Arabic writes 'and' joined to the next word: 'أ ف ب وقنا'
    parts = [p for p in _AGENCY_SEPARATORS.split(core) if p]
    reg = registry()
    names: list[str] = []
    for part in parts:
        agency = reg.agency(part.strip(" .()"))
        if agency is None:
            return None
        if agency.name not in names:
            names.append(agency.name)
    return {"agencies": "|".join(names)} if names else None


_COMPANY = re.compile(r"[\s,]+(?:llc|inc|ltd|limited|gmbh|ag|s\.?a|s\.?l|corp|co|plc|b\.?v)\.?$", re.I)
_NETWORK = re.compile(r"\b(?:media|news)?\s*(?:network|group)$", re.I)


def outlet_footer(text: str) -> dict[str, str] | None:
    """'ALJAZEERA MEDIA NETWORK', '© 2024 Deutsche Welle', '© 2019 CNBC LLC. All Rights Reserved.': a footer
    naming a known outlet.

    The line must look like a sign-off: a copyright mark or rights phrase, a network or group name, or all
    capitals. A plain outlet name at the foot of a web page is as often a link to another site.
    """
    line = text.strip()
    core = _COPYRIGHT_HEAD.sub("", line, count=1)
    copyright_mark = core != line or bool(re.search(r"©|\(c\)|copyright|rights reserved|版权所有|版權所有", line, re.I))
    if copyright_mark:
        core = re.split(r"(?<=[a-z\u00c0-\uffff]{2})\.\s|\s[|·•]\s", core, maxsplit=1)[0]  # '... LLC. All Rights'
    core = _COPYRIGHT_TAIL.sub("", core, count=1).strip(" .,")
    core = _COMPANY.sub("", core).strip(" .,")
    if not copyright_mark and (not core or len(core) > 60 or not (core.isupper() or _NETWORK.search(core))):
        return None
    reg = registry()
    outlet = reg.outlet(core) if core and len(core) <= 60 else None
    if outlet is None and core:
        # Networks sign off with their group name: 'X MEDIA NETWORK', 'X Media Group'.
        stripped = re.sub(r"\s+(?:media\s+)?(?:network|group|news\s+network)$", "", core, flags=re.I)
        outlet = reg.outlet(stripped) if stripped != core else None
    if outlet is None and copyright_mark:
        # '© ЗАО "Редакция газеты "Московский Комсомолец"...': the outlet inside a company's legal name.
        named = outlets_named_in(line)
        outlet = named[0] if len(named) == 1 else None
    return {"publisher": outlet.name} if outlet is not None else None


def date_line(text: str) -> dict[str, str] | None:
    """'Thursday, July 11, 2024, p. 24', 'Montag, 4. März 2024': a line that is only a date (and page)."""
    # Recognizing the line needs no language ('und' reads 11/07/2024 day-first); extraction settles the date.
    return read_date_line(text, language="und")

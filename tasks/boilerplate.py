"""Lines repeated across many dumps of one source folder: boilerplate no rule names, learned from the run.

cc_net removes paragraphs seen in many documents; here the scope is one source folder (one site or publisher,
as scrapers lay them out) and only lines that do not read as prose are candidates. Syndication repeats titles
and quotes too, but always with the same next line (the same article): a line counts as boilerplate only
when it recurs in many dumps AND before many different next lines.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

from tasks.lines import ends_sentence, norm_key, split_lines, word_count

MIN_DUMPS = 3  # a line seen in fewer dumps is not evidence of a template
MIN_CONTEXTS = 3  # ... nor one that always precedes the same text (a syndicated title)
MIN_SHARE = 0.05  # ... nor one seen in a tiny share of a large folder
_MAX_CONTEXTS_KEPT = 8
# The scan reads at most this many dumps of one folder. A template line is in most of a folder's dumps, so a
# sample tells it as well as the whole folder does (the thresholds above are shares of the dumps scanned), and the
# first pass stops growing with the folder. The sample is fixed by the paths' hashes: the same files every run.
SCAN_SAMPLE = 200


def reads_as_prose(text: str) -> bool:
    """A sentence of a few words or more: generic signals never drop such a line on their own."""
    return ends_sentence(text) and word_count(text) >= 5


@lru_cache(maxsize=1 << 16)  # template lines recur in every dump of a folder; the next line is keyed twice
def line_key(text: str) -> str:
    return hashlib.blake2b(norm_key(text).encode(), digest_size=8).hexdigest()


def scope_of(source_path: str) -> str:
    """The folder a dump's boilerplate is learned in: its path's parent."""
    head, _, name = source_path.rpartition("/")
    normal = head.startswith("/") and "//" not in source_path and "/." not in head and name not in ("", ".", "..")
    if normal and os.sep == "/":
        return head  # an absolute, normal path (what discovery records): PurePath's parent, without interning
    return str(PurePath(source_path).parent)  # pathlib interns every part: ~1 KB per file of a big run, kept


def scan_sample(entries: list, limit: int = SCAN_SAMPLE) -> list:
    """The entries the boilerplate scan reads: every dump of a folder holding at most `limit`, else the `limit`
    whose paths hash lowest (a stable choice: adding a file changes the sample by at most one file)."""
    by_scope: dict[str, list] = {}
    for e in entries:
        by_scope.setdefault(scope_of(e.path), []).append(e)
    chosen: set[int] = set()
    for group in by_scope.values():
        if len(group) > limit:
            group = sorted(group, key=lambda e: hashlib.blake2b(e.path.encode(), digest_size=8).digest())[:limit]
        chosen.update(id(e) for e in group)
    return [e for e in entries if id(e) in chosen]


def candidates(text: str) -> list[tuple[str, str]]:
    """(line key, key of the next non-blank line) for every line of a dump that does not read as prose."""
    lines = [line for line in split_lines(text) if line]
    out = []
    for i, line in enumerate(lines):
        if not reads_as_prose(line):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            out.append((line_key(line), line_key(nxt)))
    return out


@dataclass
class LineStats:
    """Per scope: dumps seen, and for each candidate line the dumps holding it and a few lines that follow it.

    Plain dicts only: shards build these in worker processes and send them back pickled.
    """

    dumps: dict[str, int] = field(default_factory=dict)
    lines: dict[str, dict[str, int]] = field(default_factory=dict)
    contexts: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def add(self, source_path: str, text: str) -> None:
        scope = scope_of(source_path)
        self.dumps[scope] = self.dumps.get(scope, 0) + 1
        counts = self.lines.setdefault(scope, {})
        contexts = self.contexts.setdefault(scope, {})
        seen: set[str] = set()
        for key, nxt in candidates(text):
            ctx = contexts.setdefault(key, set())
            if len(ctx) < _MAX_CONTEXTS_KEPT:
                ctx.add(nxt)
            if key not in seen:
                counts[key] = counts.get(key, 0) + 1
                seen.add(key)

    def merge(self, other: LineStats) -> None:
        for scope, n in other.dumps.items():
            self.dumps[scope] = self.dumps.get(scope, 0) + n
        for scope, counts in other.lines.items():
            mine = self.lines.setdefault(scope, {})
            for key, n in counts.items():
                mine[key] = mine.get(key, 0) + n
        for scope, ctxs in other.contexts.items():
            mine_ctx = self.contexts.setdefault(scope, {})
            for key, ctx in ctxs.items():
                have = mine_ctx.setdefault(key, set())
                have.update(list(ctx)[: max(0, _MAX_CONTEXTS_KEPT - len(have))])

    def learn(self) -> dict[str, frozenset[str]]:
        """scope -> keys of the lines that are boilerplate there."""
        out: dict[str, frozenset[str]] = {}
        for scope, counts in self.lines.items():
            needed = max(MIN_DUMPS, int(MIN_SHARE * self.dumps[scope]))
            contexts = self.contexts.get(scope, {})
            keys = frozenset(
                key for key, n in counts.items() if n >= needed and len(contexts.get(key, ())) >= MIN_CONTEXTS
            )
            if keys:
                out[scope] = keys
        return out

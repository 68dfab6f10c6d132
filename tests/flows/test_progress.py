"""The ingest-progress artifact: updated at most every PROGRESS_EVERY_S seconds while shards finish, always at the end."""

from __future__ import annotations

from flows.stages import PROGRESS_EVERY_S, progress_due


def test_updates_wait_for_the_interval_but_never_skip_the_end() -> None:
    assert not progress_due(1, 40, shown=100.0, now=100.5)
    assert progress_due(2, 40, shown=100.0, now=100.0 + PROGRESS_EVERY_S)
    assert progress_due(40, 40, shown=100.0, now=100.1)  # the last shard always shows 100 %
    assert progress_due(1, 1, shown=0.0, now=0.0)


def test_shards_finishing_every_half_second_update_about_every_interval() -> None:
    shown, updates = 0.0, []
    for done in range(1, 41):
        now = done * 0.5
        if progress_due(done, 40, shown, now):
            updates.append(done)
            shown = now
    assert updates[-1] == 40
    assert len(updates) == 10  # 20 s of shards, one update per 2 s

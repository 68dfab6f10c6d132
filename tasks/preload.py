"""Imported once by the worker pool's forkserver (tasks/shard.py worker_pool): loads the rules, the outlet
registry and both language models there, so that every worker forks with them already in memory instead of
loading its own copy (~1 s of CPU per worker, on every run, and the pages stay shared until written)."""

from tasks.shard import _warm_worker

_warm_worker()

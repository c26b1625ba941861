"""``formcheck batch``: a whole collection of clips through the video engine, on this machine or on Ray.

Small modules, one job each: ``discover`` (which files, whose), ``plan`` (folders,
hashes, what is already done), ``work`` (one clip in a worker), ``local`` (a
process pool that blames a dying worker on the right clip), ``ray_runner`` (one
Ray task a clip), ``results`` (the store upsert and ``batch.csv``), ``progress``
(what the terminal shows) and ``run`` (the order of it all).
"""

from __future__ import annotations

from formcheck.batch.run import BatchOptions, BatchReport, run_batch

__all__ = ["BatchOptions", "BatchReport", "run_batch"]

"""The malloc controls are real calls into glibc here (Linux CI), and harmless no-ops elsewhere."""

from __future__ import annotations

import platform

import pytest

from formcheck.native_memory import tune_malloc, return_freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_accepts_the_arena_limit_and_the_trim():
    assert tune_malloc() is True
    return_freed_memory()

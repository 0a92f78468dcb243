"""Scratch folders for compiles, and removing the ones a killed run left behind.

Ctrl-C and every error remove a compile's scratch folder; a SIGKILL (or a power cut) cannot.
Each compile therefore first removes this project's own scratch folders that are older than
STALE_MINUTES: only folders named with PREFIX, in the temp dir, owned by this user.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "invoke-lock-"
STALE_MINUTES = 120  # far longer than any compile; a folder this old has no running compile behind it


def remove_stale(now=None, where=None):
    """Remove scratch folders older than STALE_MINUTES; returns how many were removed."""
    now = time.time() if now is None else now
    removed = 0
    for path in Path(where or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            info = path.lstat()
        except OSError:
            continue
        mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if path.is_dir() and not path.is_symlink() and mine and now - info.st_mtime > STALE_MINUTES * 60:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def make():
    """A new scratch folder (stale ones removed first)."""
    remove_stale()
    return tempfile.mkdtemp(prefix=PREFIX)

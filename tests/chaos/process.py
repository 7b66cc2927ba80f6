"""What every process a chaos test starts shares: how long a start may take, and dying
with the test however the test dies."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess

START_TIMEOUT = 120.0

# Looked up before any fork: the child only calls it.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl


def die_with_parent() -> None:
    """In the child: SIGTERM when the process that started it dies, however it dies."""
    _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the process and whatever it started (it leads a session of its own)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)

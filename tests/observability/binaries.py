"""Where the Prometheus and Alertmanager binaries are: built once per version by
infra/local/prometheus.sh and alertmanager.sh (cached under $CMH_INFRA_HOME; a cold build
takes minutes, later runs find them at once)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "infra" / "observability"
PROMETHEUS_VERSION = os.environ.get("CMH_PROMETHEUS_VERSION", "v0.316.0")
ALERTMANAGER_VERSION = os.environ.get("CMH_ALERTMANAGER_VERSION", "v0.35.0")


def _infra_home() -> Path:
    default = Path.home() / ".cache" / "cmh" / "infra"
    return Path(os.environ.get("CMH_INFRA_HOME", default))


def built(script: str, binary: Path) -> Path:
    """``binary``, built by ``infra/local/<script> build`` when it is not there yet."""
    if not binary.exists():
        started = time.monotonic()
        build = ["/bin/bash", str(ROOT / "infra" / "local" / script), "build"]
        subprocess.run(build, check=True)  # noqa: S603 - our own build script
        print(f"\nbuilt {binary.name} in {time.monotonic() - started:.0f}s (cached from now on)")
    return binary


def promtool() -> Path:
    directory = _infra_home() / "prometheus" / PROMETHEUS_VERSION
    built("prometheus.sh", directory / "prometheus")
    return built("prometheus.sh", directory / "promtool")


def prometheus() -> Path:
    return built("prometheus.sh", _infra_home() / "prometheus" / PROMETHEUS_VERSION / "prometheus")


def alertmanager() -> Path:
    directory = _infra_home() / "alertmanager" / ALERTMANAGER_VERSION
    return built("alertmanager.sh", directory / "alertmanager")

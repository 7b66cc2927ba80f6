"""Where traces go: ``CMH_OTEL__ENDPOINT`` (or the standard ``OTEL_EXPORTER_OTLP_ENDPOINT``),
the base URL of an OTLP/HTTP receiver such as Jaeger's (``http://127.0.0.1:4318``).
Unset: nothing is traced or exported, and nothing is installed that would cost time."""

from __future__ import annotations

import os
from collections.abc import Mapping

import msgspec

from cmh.kernel.settings import SettingsError, load_settings


class TelemetrySettings(msgspec.Struct, frozen=True):
    endpoint: str = ""
    # Share of new traces kept (a trace continued from a caller follows the caller's choice).
    sample_ratio: float = 1.0

    def __post_init__(self) -> None:
        if self.endpoint and not self.endpoint.startswith(("http://", "https://")):
            raise ValueError(f"CMH_OTEL__ENDPOINT: {self.endpoint!r} is not an http(s) URL")
        if not 0.0 <= self.sample_ratio <= 1.0:
            raise ValueError("CMH_OTEL__SAMPLE_RATIO: must be between 0 and 1")

    @property
    def traces_url(self) -> str:
        return self.endpoint.rstrip("/") + "/v1/traces"


class _Environment(msgspec.Struct, frozen=True):
    otel: TelemetrySettings = TelemetrySettings()


def load_telemetry_settings(environ: Mapping[str, str] | None = None) -> TelemetrySettings:
    environ = os.environ if environ is None else environ
    settings = load_settings(_Environment, environ).otel
    if settings.endpoint:
        return settings
    standard = environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "")
    if not standard:
        return settings
    if not standard.startswith(("http://", "https://")):
        raise SettingsError(
            f"invalid settings: OTEL_EXPORTER_OTLP_ENDPOINT: {standard!r} is not an http(s) URL"
        )
    return TelemetrySettings(endpoint=standard, sample_ratio=settings.sample_ratio)

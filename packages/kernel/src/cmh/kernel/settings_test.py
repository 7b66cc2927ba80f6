from __future__ import annotations

import msgspec
import pytest

from cmh.kernel.settings import DatabaseSettings, HttpSettings, SettingsError, load_settings


class AppSettings(msgspec.Struct, frozen=True):
    database: DatabaseSettings = DatabaseSettings()
    http: HttpSettings = HttpSettings()
    name: str = "demo"


def test_nested_values_come_from_double_underscore_variables() -> None:
    settings = load_settings(
        AppSettings,
        {"CMH_DATABASE__URL": "postgresql+asyncpg://x/y", "CMH_HTTP__PORT": "9000", "OTHER": "1"},
    )
    assert settings.database.url == "postgresql+asyncpg://x/y"
    assert settings.http.port == 9000
    assert settings.name == "demo"


def test_a_wrong_value_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="CMH_HTTP__PORT"):
        load_settings(AppSettings, {"CMH_HTTP__PORT": "eighty"})


class WithMaps(msgspec.Struct, frozen=True):
    weights: dict[str, int] = {}


def test_maps_and_lists_come_as_json_and_bad_json_names_the_variable() -> None:
    assert load_settings(WithMaps, {"CMH_WEIGHTS": '{"a": 3}'}).weights == {"a": 3}
    with pytest.raises(SettingsError, match="CMH_WEIGHTS is not valid JSON"):
        load_settings(WithMaps, {"CMH_WEIGHTS": "{not json"})

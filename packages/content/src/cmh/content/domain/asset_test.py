from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from cmh.content.domain.asset import (
    ALLOWED_TRANSITIONS,
    MAX_SIZE_BYTES,
    Asset,
    AssetKind,
    AssetStatus,
    Rendition,
)
from cmh.content.domain.errors import InvalidAsset, InvalidTransition

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def video(**overrides: object) -> Asset:
    fields: dict[str, object] = {
        "asset_id": "a1",
        "owner_id": "u1",
        "kind": AssetKind.VIDEO,
        "filename": "Intro to S3.mp4",
        "content_type": "video/mp4",
        "size_bytes": 1000,
        "now": NOW,
    }
    fields.update(overrides)
    return Asset.register(**fields)  # type: ignore[arg-type]


def test_registration_starts_created_with_a_safe_source_key() -> None:
    asset = video(filename="my lesson (final).mp4")
    assert asset.status is AssetStatus.CREATED
    assert asset.source_key == "assets/a1/source/my_lesson_final_.mp4"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"filename": ""}, "filename"),
        ({"filename": "a/b.mp4"}, "filename"),
        ({"content_type": "image/png"}, "content_type"),
        ({"size_bytes": 0}, "size_bytes"),
        ({"size_bytes": MAX_SIZE_BYTES[AssetKind.VIDEO] + 1}, "size_bytes"),
        (
            {"kind": AssetKind.CAPTION, "content_type": "text/vtt", "size_bytes": 3 * 1024 * 1024},
            "size_bytes",
        ),
    ],
)
def test_invalid_registrations_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidAsset) as caught:
        video(**overrides)
    assert caught.value.field == field


def test_happy_path_to_ready() -> None:
    asset = video()
    asset.confirm_upload(900, NOW)
    asset.start_processing(NOW)
    rendition = Rendition("720p", "k720", transcoded=True, height=720)
    asset.mark_ready(NOW, renditions=(rendition,))
    assert asset.status is AssetStatus.READY
    assert asset.stored_bytes == 900
    assert asset.is_playable


def test_upload_larger_than_declared_is_refused() -> None:
    asset = video(size_bytes=100)
    with pytest.raises(InvalidAsset) as caught:
        asset.confirm_upload(101, NOW)
    assert caught.value.code == "upload_size_mismatch"
    assert asset.status is AssetStatus.CREATED


@pytest.mark.parametrize("status", list(AssetStatus))
def test_only_the_allowed_transitions_happen(status: AssetStatus) -> None:
    moves: dict[AssetStatus, Callable[[Asset], None]] = {
        AssetStatus.UPLOADED: lambda a: a.confirm_upload(1, NOW),
        AssetStatus.PROCESSING: lambda a: a.start_processing(NOW),
        AssetStatus.READY: lambda a: a.mark_ready(
            NOW, renditions=(Rendition("x", "k", transcoded=False),)
        ),
        AssetStatus.FAILED: lambda a: a.fail("boom", NOW),
    }
    for target, move in moves.items():
        asset = video()
        asset.status = status
        if target in ALLOWED_TRANSITIONS[status]:
            move(asset)
            assert asset.status is target
        else:
            with pytest.raises(InvalidTransition):
                move(asset)
            assert asset.status is status


def test_video_cannot_be_ready_without_renditions() -> None:
    asset = video()
    asset.status = AssetStatus.PROCESSING
    with pytest.raises(InvalidTransition):
        asset.mark_ready(NOW)


def test_failure_records_the_reason() -> None:
    asset = video()
    asset.fail("codec not supported", NOW)
    assert (asset.status, asset.failure_reason) == (AssetStatus.FAILED, "codec not supported")


def test_best_rendition_prefers_real_transcodes_then_height() -> None:
    asset = video()
    asset.renditions = (
        Rendition("copy", "c", transcoded=False),
        Rendition("480p", "k480", transcoded=True, height=480, bitrate_kbps=1400),
        Rendition("1080p", "k1080", transcoded=True, height=1080, bitrate_kbps=5000),
    )
    assert asset.best_rendition().name == "1080p"


def test_images_are_never_playable() -> None:
    asset = video(kind=AssetKind.IMAGE, content_type="image/png", filename="p.png")
    asset.confirm_upload(1, NOW)
    asset.start_processing(NOW)
    asset.mark_ready(NOW)
    assert not asset.is_playable


def test_anonymise_owner() -> None:
    asset = video()
    asset.anonymise_owner(NOW)
    assert asset.owner_id == "erased-user"
    assert not asset.visible_to("u1", is_admin=False)


def test_attaching_to_a_course_is_recorded_once() -> None:
    asset = video()
    assert not asset.plays_in("c-1")
    assert asset.attach_to("c-1", NOW) is True
    assert asset.attach_to("c-1", NOW) is False
    assert asset.attach_to("c-2", NOW) is True
    assert asset.attached_to == ("c-1", "c-2")
    assert asset.plays_in("c-1")
    asset.anonymise_owner(NOW)
    assert asset.plays_in("c-2")  # courses keep their media when the uploader is erased


@pytest.mark.parametrize("course_id", ["", "  ", "c" * 201])
def test_a_bad_course_id_is_named(course_id: str) -> None:
    with pytest.raises(InvalidAsset) as raised:
        video().attach_to(course_id, NOW)
    assert raised.value.field == "course_id"

from datetime import UTC, datetime, timedelta

import pytest

from cmh.kernel.auth.principal import Role
from cmh.kernel.errors import Conflict, InvalidInput
from cmh.users.domain.display_name import DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.errors import AccountDisabled, InvalidCredentials
from cmh.users.domain.profile import ProfileChanges, SkillLevel
from cmh.users.domain.tier import Tier
from cmh.users.domain.user import AccountStatus, User

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LATER = T0 + timedelta(hours=1)


def _user() -> User:
    return User.register(
        user_id="u1",
        email=Email.parse("ada@example.com"),
        display_name=DisplayName.parse("Ada"),
        password_hash="hash",
        now=T0,
    )


def test_a_new_user_is_an_active_unverified_free_learner() -> None:
    user = _user()
    assert user.roles == {Role.LEARNER}
    assert user.status is AccountStatus.ACTIVE
    assert user.tier is Tier.FREE
    assert not user.email_verified
    principal = user.principal(token_id="j1")
    assert principal.roles == {"learner"}
    assert principal.tier == "free"


def test_profile_changes_report_only_what_changed() -> None:
    user = _user()
    changed = user.update_profile(
        ProfileChanges(
            display_name="Ada", locale="fr-fr", interests=("AWS",), skill_level=SkillLevel.ADVANCED
        ),
        LATER,
    )
    assert changed == ["locale", "interests", "skill_level"]
    assert user.profile.locale == "fr-FR"
    assert user.updated_at == LATER
    assert user.update_profile(ProfileChanges(locale="fr-FR"), LATER + timedelta(hours=1)) == []
    assert user.updated_at == LATER


def test_an_invalid_change_leaves_the_profile_untouched() -> None:
    user = _user()
    with pytest.raises(InvalidInput) as error:
        user.update_profile(ProfileChanges(locale="fr", timezone="Nowhere/Land"), LATER)
    assert error.value.field == "timezone"
    assert user.profile.locale == "en"


def test_disabled_users_cannot_log_in_and_erased_ones_do_not_exist() -> None:
    user = _user()
    assert user.disable(LATER)
    assert not user.disable(LATER)
    with pytest.raises(AccountDisabled):
        user.ensure_can_log_in()
    assert user.enable(LATER)
    user.erase(LATER)
    with pytest.raises(InvalidCredentials):
        user.ensure_can_log_in()


def test_erasure_removes_every_personal_field() -> None:
    user = _user()
    user.update_profile(ProfileChanges(interests=("aws",), timezone="Europe/Paris"), T0)
    user.erase(LATER)
    assert user.email.value == "erased-u1@erased.invalid"
    assert user.display_name.value == "Erased user"
    assert user.password_hash is None
    assert user.profile.interests == ()
    assert user.profile.timezone == "UTC"
    assert user.is_erased
    with pytest.raises(Conflict):
        user.erase(LATER)
    with pytest.raises(Conflict):
        user.change_tier(Tier.PRO, LATER)


def test_tier_change_returns_the_previous_tier() -> None:
    user = _user()
    assert user.change_tier(Tier.PRO, LATER) is Tier.FREE
    assert user.tier is Tier.PRO
    assert user.entitlements.lab_hours_per_month > 2

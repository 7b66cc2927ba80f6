import pytest

from cmh.contracts.events.users import UserProfileUpdatedV1
from cmh.kernel.errors import InvalidInput, NotFound
from cmh.users.domain.profile import ProfileChanges, SkillLevel
from cmh_testing.users import UsersWorld


async def test_users_read_themselves_and_admins_read_anyone(world: UsersWorld) -> None:
    ada = await world.registered()
    grace = await world.registered(email="grace@example.com", display_name="Grace")
    admin = await world.admin()

    assert (await world.get_user().execute(ada.principal(token_id="j"), ada.id)).id == ada.id
    assert (await world.get_user().execute(admin, grace.id)).id == grace.id
    with pytest.raises(NotFound):
        await world.get_user().execute(ada.principal(token_id="j"), grace.id)
    with pytest.raises(NotFound):
        await world.get_user().execute(admin, "no-such-id")


async def test_a_profile_update_publishes_the_changed_fields(world: UsersWorld) -> None:
    ada = await world.registered()
    caller = ada.principal(token_id="j")

    updated = await world.update_profile().execute(
        caller,
        ProfileChanges(
            timezone="Europe/London", interests=("AWS", "azure"), skill_level=SkillLevel.BEGINNER
        ),
    )

    assert updated.interests == ["aws", "azure"]
    assert world.stored(ada.id).profile.timezone == "Europe/London"
    assert world.uow.events_of(UserProfileUpdatedV1) == [
        UserProfileUpdatedV1(user_id=ada.id, changed=["timezone", "interests", "skill_level"])
    ]


async def test_no_change_publishes_nothing(world: UsersWorld) -> None:
    ada = await world.registered()
    await world.update_profile().execute(ada.principal(token_id="j"), ProfileChanges(locale="en"))
    assert world.uow.events_of(UserProfileUpdatedV1) == []


async def test_an_invalid_change_stores_nothing(world: UsersWorld) -> None:
    ada = await world.registered()
    with pytest.raises(InvalidInput) as error:
        await world.update_profile().execute(
            ada.principal(token_id="j"), ProfileChanges(locale="fr", timezone="Moon/Base")
        )
    assert error.value.field == "timezone"
    assert world.stored(ada.id).profile.locale == "en"

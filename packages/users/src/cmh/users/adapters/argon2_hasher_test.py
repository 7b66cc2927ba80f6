from cmh.users.adapters.argon2_hasher import Argon2Parameters, Argon2PasswordHasher

CHEAP = Argon2PasswordHasher(Argon2Parameters.for_tests())


async def test_a_hash_verifies_its_password_only() -> None:
    password_hash = await CHEAP.hash("Analytical-Engine-1843")
    assert password_hash.startswith("$argon2id$")
    assert await CHEAP.verify(password_hash, "Analytical-Engine-1843")
    assert not await CHEAP.verify(password_hash, "analytical-engine-1843")


async def test_no_hash_or_a_broken_one_never_verifies() -> None:
    assert not await CHEAP.verify(None, "no account has this password")
    assert not await CHEAP.verify("not-a-hash", "whatever")


async def test_hashes_made_with_other_parameters_need_rehashing() -> None:
    stronger = Argon2PasswordHasher(
        Argon2Parameters(time_cost=2, memory_cost_kib=16, parallelism=1)
    )
    old_hash = await CHEAP.hash("Analytical-Engine-1843")
    assert stronger.needs_rehash(old_hash)
    assert not CHEAP.needs_rehash(old_hash)
    assert await stronger.verify(old_hash, "Analytical-Engine-1843")

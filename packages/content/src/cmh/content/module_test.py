"""The Content module composes, strictly validated, in every profile with the adapters
each promises: local files embedded, S3 and CloudFront when the service says so."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cmh.content.adapters.cloudfront.signer import CloudFrontUrlSigner
from cmh.content.adapters.local.signer import LocalUrlSigner
from cmh.content.adapters.local.storage import FilesystemObjectStorage
from cmh.content.adapters.memory.storage import MemoryObjectStorage
from cmh.content.adapters.pyav.transcoder import PyAvTranscoder
from cmh.content.adapters.s3.storage import S3ObjectStorage
from cmh.content.application.playback_url import PlaybackUrl
from cmh.content.application.ports import ObjectStorage, Transcoder, UrlSigner
from cmh.content.application.register_asset import RegisterAsset
from cmh.content.consumers import AssetUploadedHandler
from cmh.content.module import ContentModule
from cmh.content.settings import ContentSettings
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import SigningKey, TokenSettings, TokenVerifier
from cmh.kernel.clock import SystemClock
from cmh.kernel.di import JwksUrl
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh_testing.kernel.overrides import adding

# Without the users context in the process, the test signs and checks its own tokens.
OWN_TOKENS = adding(
    (
        Authenticator,
        LocalAuthenticator(
            TokenVerifier(SigningKey.generate().jwks(), TokenSettings()), SystemClock()
        ),
    )
)


async def test_the_memory_profile_resolves_every_use_case() -> None:
    container = compose(
        Profile.MEMORY,
        [ContentModule()],
        overrides=[OWN_TOKENS],
        context={ContentSettings: ContentSettings()},
    )
    async with container() as request:
        assert isinstance(await request.get(ObjectStorage), MemoryObjectStorage)
        await request.get(RegisterAsset)
        await request.get(AssetUploadedHandler)
    await container.close()


async def test_the_embedded_profile_serves_local_files(tmp_path: Path) -> None:
    settings = ContentSettings(local_media_dir=str(tmp_path), local_signing_secret="s" * 32)
    container = compose(
        Profile.EMBEDDED,
        [ContentModule()],
        overrides=[OWN_TOKENS],
        context={
            ContentSettings: settings,
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"),
            InProcessBus: InProcessBus(),
        },
    )
    async with container() as request:
        assert isinstance(await request.get(ObjectStorage), FilesystemObjectStorage)
        assert isinstance(await request.get(UrlSigner), LocalUrlSigner)
        transcoder = await request.get(Transcoder)
        assert isinstance(transcoder, PyAvTranscoder)
        assert transcoder.limits.max_source_bytes == 512 * 1024 * 1024
        await request.get(RegisterAsset)
        await request.get(PlaybackUrl)
    await container.close()


async def test_the_distributed_s3_profile_builds_s3_and_cloudfront_adapters() -> None:
    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    settings = ContentSettings(
        cloudfront_domain="d1.cloudfront.net",
        cloudfront_key_pair_id="KID",
        cloudfront_private_key_pem=pem,
    )
    module = ContentModule(object_storage="s3")
    container = compose(
        Profile.DISTRIBUTED,
        [module],
        context={
            ContentSettings: settings,
            KafkaSettings: KafkaSettings(),
            TokenSettings: TokenSettings(),
            JwksUrl: JwksUrl("http://users.invalid/jwks"),
            TokenStampSettings: TokenStampSettings(),
        },
    )
    async with container() as request:
        assert isinstance(await request.get(ObjectStorage), S3ObjectStorage)
        assert isinstance(await request.get(UrlSigner), CloudFrontUrlSigner)
        assert isinstance(await request.get(Transcoder), PyAvTranscoder)
        await request.get(PlaybackUrl)
    await container.close()
    assert all(
        "media" not in str(getattr(r, "path", "")) for r in module.routes(Profile.DISTRIBUTED)
    )

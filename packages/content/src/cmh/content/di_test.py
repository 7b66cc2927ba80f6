"""The providers compose into working containers for the embedded and AWS profiles."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from dishka import Provider, Scope, alias, make_async_container, provide

from cmh.content.adapters.cloudfront.signer import CloudFrontUrlSigner
from cmh.content.adapters.local.signer import LocalUrlSigner
from cmh.content.adapters.local.storage import FilesystemObjectStorage
from cmh.content.adapters.pyav.transcoder import PyAvTranscoder
from cmh.content.adapters.s3.storage import S3ObjectStorage
from cmh.content.application.playback_url import PlaybackUrl
from cmh.content.application.ports import ObjectStorage, Transcoder, UrlSigner
from cmh.content.application.register_asset import RegisterAsset
from cmh.content.consumers import AssetUploadedHandler
from cmh.content.di import ContentAwsProvider, ContentKernelUnitOfWorkProvider, ContentLocalProvider, ContentMemoryProvider, ContentUseCasesProvider
from cmh.content.settings import ContentSettings
from cmh.kernel.di import ClockProvider
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork


class KernelUnitOfWork(Provider):
    """The memory repository stages its writes in this unit of work."""

    scope = Scope.APP
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork()


async def test_embedded_profile_resolves_every_use_case(tmp_path: Path) -> None:
    settings = ContentSettings(local_media_dir=str(tmp_path), local_signing_secret="s" * 32)
    container = make_async_container(
        ClockProvider(),
        ContentMemoryProvider(),
        ContentKernelUnitOfWorkProvider(),
        KernelUnitOfWork(),
        ContentLocalProvider(),
        ContentUseCasesProvider(),
        context={ContentSettings: settings},
    )
    async with container() as request:
        assert isinstance(await request.get(ObjectStorage), FilesystemObjectStorage)
        assert isinstance(await request.get(UrlSigner), LocalUrlSigner)
        transcoder = await request.get(Transcoder)
        assert isinstance(transcoder, PyAvTranscoder)
        assert transcoder.limits.max_source_bytes == 512 * 1024 * 1024
        await request.get(RegisterAsset)
        await request.get(PlaybackUrl)
        await request.get(AssetUploadedHandler)
    await container.close()


async def test_aws_profile_builds_s3_and_cloudfront_adapters() -> None:
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
    container = make_async_container(
        ClockProvider(),
        ContentMemoryProvider(),
        ContentKernelUnitOfWorkProvider(),
        KernelUnitOfWork(),
        ContentAwsProvider(),
        ContentUseCasesProvider(),
        context={ContentSettings: settings},
    )
    async with container() as request:
        assert isinstance(await request.get(ObjectStorage), S3ObjectStorage)
        assert isinstance(await request.get(UrlSigner), CloudFrontUrlSigner)
        assert isinstance(await request.get(Transcoder), PyAvTranscoder)
        await request.get(PlaybackUrl)
    await container.close()

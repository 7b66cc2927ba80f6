"""dishka providers of the Labs context, one per adapter family.

A composition root takes the kernel's providers (clock, SQL, bus, auth,
``PrincipalProvider``, dishka's ``LitestarProvider``) and adds:

- ``LabsSqlProvider`` or ``LabsMemoryProvider`` for the stores,
- users' lab allowance: ``LabsStandInsProvider`` (memory; the embedded profile until
  the platform's in-process bridge replaces it) or ``UsersHttpProvider``,
- a cloud per provider: ``MemoryCloudProvider``, ``EmbeddedCloudProvider`` (AWS on the
  in-process moto server, Azure and GCP on their simulators) or ``SdkCloudsProvider``
  (AWS through boto3; Azure and GCP through their SDKs where configured),
- the job queue: ``RecordedJobsProvider`` (tests drain it), ``BackgroundJobsProvider``
  (jobs run in the process) or ``SqsJobsProvider``,
- the vault: ``LocalVaultProvider`` (a key of its own unless configured) or
  ``KeyedVaultProvider`` (refuses to start without a key),
- ``LabsUseCasesProvider`` (use cases, job runner, event handlers, the price table).

Context value: ``LabsSettings``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import AsyncContainer, Provider, Scope, alias, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.clock import Clock
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.module import Profile
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.adapters.aws.moto_admin import MotoAdmin
from cmh.labs.adapters.azure.cloud_lab import SimulatedAzureCloudLab
from cmh.labs.adapters.azure.simulator import AzureSubscription
from cmh.labs.adapters.cloud_labs import ConfiguredCloudLabs
from cmh.labs.adapters.crypto.vault import credentials_vault
from cmh.labs.adapters.gcp.cloud_lab import SimulatedGcpCloudLab
from cmh.labs.adapters.gcp.simulator import GcpOrganization
from cmh.labs.adapters.local_moto.server import EmbeddedMoto
from cmh.labs.adapters.memory.cloud import MemoryCloudLabs
from cmh.labs.adapters.memory.jobs import MemoryLabJobs, container_runner
from cmh.labs.adapters.memory.repositories import (
    MemoryLabHoursLedger,
    MemoryMeterReadings,
    MemorySessionAccessRepository,
    MemorySessionRepository,
    MemoryTemplateRepository,
    MemoryWarmPoolRepository,
)
from cmh.labs.adapters.memory.services import MemoryEntitlements
from cmh.labs.adapters.sql.repositories import (
    SqlLabHoursLedger,
    SqlMeterReadings,
    SqlSessionAccessRepository,
    SqlSessionRepository,
    SqlTemplateRepository,
    SqlWarmPoolRepository,
)
from cmh.labs.adapters.sqs.lab_jobs import SqsLabJobs
from cmh.labs.adapters.sqs.queues import ensure_job_queues
from cmh.labs.adapters.users.entitlements import HttpEntitlements
from cmh.labs.application.admin_costs import AdminCosts
from cmh.labs.application.admin_list_sessions import AdminListSessions
from cmh.labs.application.admin_warm_pools import AdminWarmPools
from cmh.labs.application.create_template import CreateTemplate
from cmh.labs.application.credit_lab_hour_pack import CreditLabHourPack
from cmh.labs.application.discard_warm_environment import DiscardWarmEnvironment
from cmh.labs.application.end_session import EndSession
from cmh.labs.application.extend_session import ExtendSession
from cmh.labs.application.get_session import GetSession
from cmh.labs.application.get_template import GetTemplate
from cmh.labs.application.handle_user_erasure import HandleUserErasure
from cmh.labs.application.keep_warm_pools import WarmPoolKeeper
from cmh.labs.application.launch_for_learner import LaunchForLearner
from cmh.labs.application.launch_lab import LaunchLab
from cmh.labs.application.list_templates import ListTemplates
from cmh.labs.application.my_lab_hours import MyLabHours
from cmh.labs.application.my_sessions import MySessions
from cmh.labs.application.ports import (
    CloudLab,
    CloudLabs,
    CredentialsVault,
    Entitlements,
    LabHoursLedger,
    LabJobs,
    MeterReadings,
    SessionAccessRepository,
    SessionRepository,
    TemplateRepository,
    WarmPoolRepository,
)
from cmh.labs.application.provision_session import ProvisionSession
from cmh.labs.application.provision_warm_environment import ProvisionWarmEnvironment
from cmh.labs.application.reap_sessions import LabSessionReaper
from cmh.labs.application.reconcile_orphans import Reconciler
from cmh.labs.application.refund_session_hours import RefundSessionHours
from cmh.labs.application.revise_template import ReviseTemplate
from cmh.labs.application.run_lab_job import RunLabJob
from cmh.labs.application.take_back_lab_hour_pack import TakeBackLabHourPack
from cmh.labs.application.tear_down_session import TearDownSession
from cmh.labs.application.template_owner import TemplateOwner
from cmh.labs.application.validate_session import ValidateSession
from cmh.labs.consumers.handlers import LabHourPackHandler, UserErasureHandler
from cmh.labs.domain.cost import PriceTable
from cmh.labs.domain.template import CloudProvider
from cmh.labs.settings import LabsSettings


class LabsSqlProvider(Provider):
    """Stores on the request's ``AsyncSession`` (kernel ``SqlProvider``), so they share the
    unit of work's transaction. Run ``LABS_MIGRATIONS`` before serving."""

    scope = Scope.REQUEST

    @provide
    def templates(self, session: AsyncSession, uow: UnitOfWork) -> TemplateRepository:
        return SqlTemplateRepository(session, uow)

    @provide
    def sessions(self, session: AsyncSession, uow: UnitOfWork) -> SessionRepository:
        return SqlSessionRepository(session, uow)

    @provide
    def access(self, session: AsyncSession) -> SessionAccessRepository:
        return SqlSessionAccessRepository(session)

    @provide
    def readings(self, session: AsyncSession) -> MeterReadings:
        return SqlMeterReadings(session)

    @provide
    def ledger(self, session: AsyncSession) -> LabHoursLedger:
        return SqlLabHoursLedger(session)

    @provide
    def warm_pool(self, session: AsyncSession) -> WarmPoolRepository:
        return SqlWarmPoolRepository(session)


class LabsMemoryProvider(Provider):
    """In-memory stores whose writes are staged in the kernel ``InMemoryUnitOfWork`` this
    provider also gives as the ``UnitOfWork``: what a use case does not commit is dropped,
    as in the database."""

    scope = Scope.APP
    templates = provide(MemoryTemplateRepository, provides=TemplateRepository)
    sessions = provide(MemorySessionRepository, provides=SessionRepository)
    access = provide(MemorySessionAccessRepository, provides=SessionAccessRepository)
    readings = provide(MemoryMeterReadings, provides=MeterReadings)
    ledger = provide(MemoryLabHoursLedger, provides=LabHoursLedger)
    warm_pool = provide(MemoryWarmPoolRepository, provides=WarmPoolRepository)
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/labs", events)


class LabsStandInsProvider(Provider):
    """The stand-in for users (``MemoryEntitlements``: unknown users are free)."""

    scope = Scope.APP
    entitlements = alias(source=MemoryEntitlements, provides=Entitlements)

    @provide
    def memory_entitlements(self) -> MemoryEntitlements:
        return MemoryEntitlements()


class UsersHttpProvider(Provider):
    """Lab allowances from the users service over HTTP (``LabsSettings.users``, the
    kernel ``HttpClientProvider``'s client)."""

    scope = Scope.APP

    @provide
    def entitlements(self, http: httpx.AsyncClient, settings: LabsSettings) -> Entitlements:
        return HttpEntitlements(http, settings.users)


class MemoryCloudProvider(Provider):
    """Clouds that live in memory, one per provider (``MemoryCloudLabs``)."""

    scope = Scope.APP
    clouds = alias(source=MemoryCloudLabs, provides=CloudLabs)

    @provide
    def memory_clouds(self, clock: Clock) -> MemoryCloudLabs:
        return MemoryCloudLabs(clock)


class EmbeddedCloudProvider(Provider):
    """AWS through boto3 on the moto server this process starts (``LabsSettings.moto``),
    Azure and GCP on their in-memory simulators: hands-on labs with no cloud account."""

    scope = Scope.APP

    @provide
    async def moto(self, settings: LabsSettings) -> AsyncIterator[EmbeddedMoto]:
        async with EmbeddedMoto(settings.moto) as moto:
            yield moto

    @provide
    def clouds(self, moto: EmbeddedMoto, clock: Clock) -> CloudLabs:
        aws = AwsCloudLab(moto.lab_settings(), prepare_member=moto.grant_organization_role)
        return ConfiguredCloudLabs(
            {
                CloudProvider.AWS: aws,
                CloudProvider.AZURE: SimulatedAzureCloudLab(AzureSubscription(clock=clock.now)),
                CloudProvider.GCP: SimulatedGcpCloudLab(GcpOrganization(clock=clock.now)),
            }
        )


class SdkCloudsProvider(Provider):
    """AWS labs through boto3 (``LabsSettings.aws``: AWS itself, or infra/local's moto
    server, whose member accounts need their access role granted by its admin API); Azure
    labs through Microsoft's SDKs when ``LabsSettings.azure`` names a subscription, GCP labs
    through Google's when ``LabsSettings.gcp`` names a parent. A provider left unconfigured
    has no labs in this process (``lab_provider_unavailable``): an in-memory simulator
    would not be shared by the API and the worker."""

    scope = Scope.APP

    @provide
    def aws(self, settings: LabsSettings) -> AwsCloudLab:
        endpoint = settings.aws.endpoint_url
        prepare = MotoAdmin(endpoint).grant_organization_role if endpoint else None
        return AwsCloudLab(settings.aws, prepare_member=prepare)

    @provide
    def clouds(self, aws: AwsCloudLab, settings: LabsSettings) -> CloudLabs:
        # Microsoft's and Google's SDKs (about 60 MB resident each) are imported only
        # when their cloud is configured.
        labs: dict[CloudProvider, CloudLab] = {CloudProvider.AWS: aws}
        if settings.azure.subscription_id:
            from cmh.labs.adapters.azure.arm_cloud_lab import AzureCloudLab

            labs[CloudProvider.AZURE] = AzureCloudLab(settings.azure)
        if settings.gcp.parent:
            from cmh.labs.adapters.gcp.sdk_cloud_lab import GcpCloudLab

            labs[CloudProvider.GCP] = GcpCloudLab(settings.gcp)
        return ConfiguredCloudLabs(labs)


class RecordedJobsProvider(Provider):
    """Jobs wait until a test calls ``MemoryLabJobs.drain()``."""

    scope = Scope.APP
    jobs = alias(source=MemoryLabJobs, provides=LabJobs)

    @provide
    def memory_jobs(self, container: AsyncContainer) -> MemoryLabJobs:
        return MemoryLabJobs(container_runner(container))


class BackgroundJobsProvider(Provider):
    """Jobs run in this process as soon as they are queued."""

    scope = Scope.APP
    jobs = alias(source=MemoryLabJobs, provides=LabJobs)

    @provide
    def memory_jobs(self, container: AsyncContainer) -> MemoryLabJobs:
        return MemoryLabJobs(container_runner(container), background=True)


class SqsJobsProvider(Provider):
    """Jobs on the SQS queue of ``LabsSettings.jobs`` (created when missing), reached with
    the AWS adapter's operator clients; a lab worker process runs them."""

    scope = Scope.APP

    @provide
    def jobs(self, aws: AwsCloudLab, settings: LabsSettings) -> LabJobs:
        return SqsLabJobs(aws.operator, ensure_job_queues(aws.operator, settings.jobs))


class LocalVaultProvider(Provider):
    """The AES-GCM vault; without a configured key, one of its own for this process."""

    scope = Scope.APP

    @provide
    def vault(self, settings: LabsSettings) -> CredentialsVault:
        return credentials_vault(settings.vault, Profile.EMBEDDED)


class KeyedVaultProvider(Provider):
    """The AES-GCM vault under the configured key; no key, no start."""

    scope = Scope.APP

    @provide
    def vault(self, settings: LabsSettings) -> CredentialsVault:
        return credentials_vault(settings.vault, Profile.DISTRIBUTED)


class LabsUseCasesProvider(Provider):
    """Every use case and event handler (request scope) and the price table. Needs
    ``UnitOfWork``, ``Clock``, ``IdGenerator`` from the kernel and the ports above."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def prices(self) -> PriceTable:
        return PriceTable()

    commands = provide_all(
        CreateTemplate,
        ReviseTemplate,
        LaunchLab,
        LaunchForLearner,
        ProvisionSession,
        TearDownSession,
        RunLabJob,
        ValidateSession,
        ExtendSession,
        EndSession,
        LabSessionReaper,
        Reconciler,
        HandleUserErasure,
        ProvisionWarmEnvironment,
        DiscardWarmEnvironment,
        WarmPoolKeeper,
        RefundSessionHours,
        CreditLabHourPack,
        TakeBackLabHourPack,
    )
    queries = provide_all(
        ListTemplates,
        GetTemplate,
        TemplateOwner,
        GetSession,
        MySessions,
        AdminListSessions,
        AdminCosts,
        AdminWarmPools,
        MyLabHours,
    )
    handlers = provide_all(UserErasureHandler, LabHourPackHandler)


__all__ = [
    "BackgroundJobsProvider",
    "EmbeddedCloudProvider",
    "KeyedVaultProvider",
    "LabsMemoryProvider",
    "LabsSqlProvider",
    "LabsStandInsProvider",
    "LabsUseCasesProvider",
    "LocalVaultProvider",
    "MemoryCloudProvider",
    "RecordedJobsProvider",
    "SdkCloudsProvider",
    "SqsJobsProvider",
]

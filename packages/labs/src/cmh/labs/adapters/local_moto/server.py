"""The embedded profile's AWS: moto's threaded server inside the platform's process.

It checks requests the way infra/local/moto.sh's server does (IAM enforcement on from the
first request), so the AWS adapter works against it unchanged: the platform's operator is
an IAM user made at start, and member accounts' roles get their policy through
``MotoAdmin``. moto keeps its accounts and resources in the process's memory: the server
starts empty and forgets them at stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import urllib.request
from types import TracebackType

from botocore.exceptions import ClientError
from moto.iam.models import iam_backends
from moto.server import ThreadedMotoServer

from cmh.labs.adapters.aws.clients import AwsClients, AwsCredentials
from cmh.labs.adapters.aws.moto_admin import ADMINISTRATOR_POLICY, ORGANIZATION_ROLE, MotoAdmin
from cmh.labs.adapters.aws.provisioner import AMI_PARAMETER
from cmh.labs.adapters.aws.settings import AwsLabSettings
from cmh.labs.adapters.local_moto.settings import EmbeddedMotoSettings


class EmbeddedMoto:
    """``async with EmbeddedMoto(settings) as moto:`` serves at ``moto.endpoint_url``
    until the block ends."""

    def __init__(self, settings: EmbeddedMotoSettings | None = None) -> None:
        self._settings = settings or EmbeddedMotoSettings()
        self._server: ThreadedMotoServer | None = None
        self._endpoint_url: str | None = None
        self._operator: AwsCredentials | None = None
        self._unchecked_before = "inf"

    @property
    def endpoint_url(self) -> str:
        if self._endpoint_url is None:
            raise RuntimeError("the embedded moto server is not running")
        return self._endpoint_url

    @property
    def admin(self) -> MotoAdmin:
        return MotoAdmin(self.endpoint_url)

    def grant_organization_role(self, member: AwsClients, account_id: str) -> None:
        """``MotoAdmin.grant_organization_role``, written straight into this process's
        moto: over HTTP it needs a moment with IAM checks off, which any other request of
        this busy process (the warm pool, the reconciler, a learner's lab) can use up, so
        a provisioning failed with AccessDenied when all its attempts were taken."""
        iam = iam_backends[account_id]["global"]
        iam.put_role_policy(ORGANIZATION_ROLE, "administrator", ADMINISTRATOR_POLICY)

    def lab_settings(self) -> AwsLabSettings:
        """The AWS adapter's settings: this server, as the platform's operator."""
        if self._operator is None:
            raise RuntimeError("the embedded moto server is not running")
        return AwsLabSettings(
            endpoint_url=self.endpoint_url,
            region=self._settings.region,
            access_key_id=self._operator.access_key_id,
            secret_access_key=self._operator.secret_access_key,
        )

    def _unchecked_requests(self, count: str) -> str:
        """Sets how many requests pass unchecked (moto's setting is per process); the
        previous count."""
        request = urllib.request.Request(  # noqa: S310 (our own loopback server)
            f"{self.endpoint_url}/moto-api/reset-auth",
            data=count.encode(),
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            previous: str = json.loads(answer.read())["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"]
        return previous

    def _start(self) -> None:
        # Its HTTP server logs every request at INFO: the platform's own log would drown.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = ThreadedMotoServer(self._settings.host, self._settings.port, verbose=False)
        server.start()
        self._server = server
        host, port = server.get_host_and_port()
        self._endpoint_url = f"http://{host}:{port}"
        self._unchecked_before = self._unchecked_requests("0")
        self.admin.reset()
        self._operator = self.admin.create_operator(self._settings.region)
        self._load_what_labs_use()

    def _load_what_labs_use(self) -> None:
        """One cheap call per service the labs use, now, while the platform starts: the
        first use of each parses botocore's JSON models (the SDK's side and moto's) and moto
        builds its EC2 backend (the instance-type catalogue, the AMIs). Parsing JSON holds
        the interpreter lock throughout, so left to the warm pool's first passes after start
        it stalled every request of the process for 300-400 ms, several times."""
        operator = AwsClients(self.endpoint_url, self._settings.region, self._operator)
        operator.client("sts").get_caller_identity()
        operator.client("ec2").describe_regions()
        operator.client("ssm").get_parameter(Name=AMI_PARAMETER)
        operator.client("s3").list_buckets()
        operator.client("iam").list_roles(MaxItems=1)
        operator.client("ce")
        with contextlib.suppress(ClientError):  # no organization yet
            operator.client("organizations").describe_organization()

    def _stop(self) -> None:
        if self._server is None:
            return
        try:
            self.admin.reset()
            self._unchecked_requests(self._unchecked_before)
        finally:
            self._server.stop()
            self._server = None
            self._endpoint_url = None
            self._operator = None

    async def __aenter__(self) -> EmbeddedMoto:
        try:
            await asyncio.to_thread(self._start)
        except BaseException:
            await asyncio.to_thread(self._stop)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self._stop)

"""The administrators asked of the users service: ``GET /internal/v1/users/administrators``
with notifications' own service token, decoded as the ``contracts`` body users encodes.
Transport errors and 5xx are retried; what still fails is ``DependencyUnavailable``."""

from __future__ import annotations

import httpx
import msgspec

from cmh.contracts.http.users import AdministratorsResponse
from cmh.kernel.errors import DependencyUnavailable
from cmh.notifications.adapters.users.profiles import HttpUserProfiles, ServerError
from cmh.notifications.adapters.users.settings import UsersClientSettings
from cmh.notifications.application.ports import Recipient


class HttpAdministrators:
    def __init__(self, http: httpx.AsyncClient, settings: UsersClientSettings) -> None:
        # The same service token and retries as the profiles' client.
        self._client = HttpUserProfiles(http, settings)
        self._url = f"{settings.url.rstrip('/')}/internal/v1/users/administrators"

    async def all(self) -> list[Recipient]:
        try:
            response = await self._client.get_with_token(self._url)
        except (httpx.HTTPError, ServerError) as exc:
            raise DependencyUnavailable(f"users did not answer: {exc!r}"[:300]) from exc
        if response.status_code != 200:
            raise DependencyUnavailable(f"users answered {response.status_code} for admins")
        try:
            body = msgspec.json.decode(response.content, type=AdministratorsResponse)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise DependencyUnavailable(f"users sent an answer we cannot read: {exc}") from exc
        return [
            Recipient(user_id=a.user_id, email=a.email, display_name=a.display_name)
            for a in body.administrators
        ]

from __future__ import annotations

import copy

from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.domain.identity_link import IdentityLink


class MemoryIdentityLinkStore:
    def __init__(self, state: MemoryUsersState) -> None:
        self._links = state.identity_link_rows

    async def get(self, provider: str, subject: str) -> IdentityLink | None:
        link = self._links.get((provider, subject))
        return copy.deepcopy(link) if link is not None else None

    async def by_token_hash(self, token_hash: str) -> IdentityLink | None:
        for link in self._links.values():
            if link.token_hash == token_hash:
                return copy.deepcopy(link)
        return None

    async def save(self, link: IdentityLink) -> None:
        self._links.put((link.provider, link.subject), copy.deepcopy(link))

    async def remove_all_of(self, user_id: str) -> None:
        for key, link in self._links.items():
            if link.user_id == user_id:
                self._links.delete(key)

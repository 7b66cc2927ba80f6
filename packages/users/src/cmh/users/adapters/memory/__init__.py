"""In-memory adapters: keep state like the SQL ones (copies in, copies out, so a change
is visible only once saved; writes staged in the unit of work, so they count only once it
commits) and pass the same contract tests. Login failures are kept at once, as in Redis."""

from cmh.users.adapters.memory.audit_log import MemoryAuditLog
from cmh.users.adapters.memory.identity_links import MemoryIdentityLinkStore
from cmh.users.adapters.memory.login_failures import MemoryLoginFailures
from cmh.users.adapters.memory.one_time_tokens import MemoryOneTimeTokenStore
from cmh.users.adapters.memory.refresh_tokens import MemoryRefreshTokenStore
from cmh.users.adapters.memory.sso_attempts import MemorySsoAttemptStore
from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.adapters.memory.users import MemoryUserRepository

__all__ = [
    "MemoryAuditLog",
    "MemoryIdentityLinkStore",
    "MemoryLoginFailures",
    "MemoryOneTimeTokenStore",
    "MemoryRefreshTokenStore",
    "MemorySsoAttemptStore",
    "MemoryUserRepository",
    "MemoryUsersState",
]

"""``IdentityProvider`` adapters: Auth0 (OIDC authorization-code flow) and a local stand-in."""

from cmh.users.adapters.identity.auth0 import Auth0IdentityProvider
from cmh.users.adapters.identity.local import LocalIdentityProvider

__all__ = ["Auth0IdentityProvider", "LocalIdentityProvider"]

"""Domain objects and read models to response bodies."""

from __future__ import annotations

from cmh.contracts.http.users import EntitlementsResponse, PreferencesResponse
from cmh.users.api.schemas import (
    AccountResponse,
    AuditEntryResponse,
    DataExportResponse,
    IntrospectionResponse,
    SessionResponse,
    TokenPairResponse,
    UserResponse,
)
from cmh.users.application.sessions import IssuedSession
from cmh.users.application.views import (
    DataExport,
    Introspection,
    UserEntitlements,
    UserPreferences,
)
from cmh.users.domain.user import User


def _roles(user: User) -> list[str]:
    return sorted(role.value for role in user.roles)


def account_response(user: User) -> AccountResponse:
    return AccountResponse(
        id=user.id,
        email=user.email.value,
        display_name=user.display_name.value,
        roles=_roles(user),
        tier=user.tier.value,
        email_verified=user.email_verified,
    )


def user_response(user: User) -> UserResponse:
    profile = user.profile
    return UserResponse(
        id=user.id,
        email=user.email.value,
        display_name=user.display_name.value,
        roles=_roles(user),
        tier=user.tier.value,
        email_verified=user.email_verified,
        status=user.status.value,
        locale=profile.locale,
        timezone=profile.timezone,
        interests=list(profile.interests),
        skill_level=profile.skill_level.value if profile.skill_level else None,
        created_at=user.created_at,
    )


def token_pair_response(session: IssuedSession) -> TokenPairResponse:
    return TokenPairResponse(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        expires_in=session.expires_in,
    )


def introspection_response(result: Introspection) -> IntrospectionResponse:
    if not result.active or result.claims is None:
        return IntrospectionResponse(active=False)
    claims = result.claims
    return IntrospectionResponse(
        active=True,
        sub=claims.principal.user_id,
        roles=sorted(result.roles),
        tier=result.tier,
        exp=int(claims.expires_at.timestamp()),
        iat=int(claims.issued_at.timestamp()),
        iss=claims.issuer,
        aud=claims.audience,
        jti=claims.principal.token_id,
        token_type="Bearer",  # noqa: S106 - a token type name, not a secret
    )


def export_response(export: DataExport) -> DataExportResponse:
    return DataExportResponse(
        user=user_response(export.user),
        audit_log=[
            AuditEntryResponse(
                id=entry.id,
                action=entry.action.value,
                at=entry.at,
                actor_id=entry.actor_id,
                detail=dict(entry.detail),
            )
            for entry in export.audit_log
        ],
        sessions=[
            SessionResponse(
                id=token.id,
                session_id=token.family_id,
                issued_at=token.issued_at,
                expires_at=token.expires_at,
                rotated_at=token.rotated_at,
                revoked_at=token.revoked_at,
            )
            for token in export.sessions
        ],
    )


def entitlements_response(view: UserEntitlements) -> EntitlementsResponse:
    return EntitlementsResponse(
        user_id=view.user_id,
        tier=view.tier.value,
        roles=sorted(view.roles),
        course_levels=sorted(level.value for level in view.course_levels),
        lab_hours_per_month=view.lab_hours_per_month,
        active=view.active,
    )


def preferences_response(view: UserPreferences) -> PreferencesResponse:
    return PreferencesResponse(
        user_id=view.user_id,
        locale=view.locale,
        timezone=view.timezone,
        interests=list(view.interests),
        skill_level=view.skill_level.value if view.skill_level else None,
    )

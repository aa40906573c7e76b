"""Who may do what, and which branches they see: decided here and nowhere else.

Every view, API endpoint and export that reads a contact goes through `scope_to_member`
or a `get_<thing>_for_member` helper built on it. A branch-staff member asking for another
branch's contact gets "not found", never "forbidden", so nothing about it leaks.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from dearly.core.models import Membership, Role


class Can(StrEnum):
    VIEW_CONTACTS = "view_contacts"
    EDIT_CONTACTS = "edit_contacts"
    EXPORT = "export"
    IMPORT = "import"
    ERASE = "erase"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_TEAM = "manage_team"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_BRANCHES = "manage_branches"
    MANAGE_FIELDS = "manage_fields"
    EDIT_SEGMENTS = "edit_segments"
    EDIT_TEMPLATES = "edit_templates"
    SEND_CAMPAIGNS = "send_campaigns"
    VIEW_MAILBOX = "view_mailbox"
    VIEW_CAMPAIGNS = "view_campaigns"
    VIEW_TEMPLATES = "view_templates"
    # Approving another person's work (social posts, large campaigns) before it goes out.
    APPROVE = "approve"
    MANAGE_WEBHOOKS = "manage_webhooks"
    # Let a webhook reach this machine or the local network: SSRF protection switched off.
    ALLOW_PRIVATE_WEBHOOKS = "allow_private_webhooks"


# Building audiences and messages and sending them: the marketing side of the business.
MARKETING = (
    Can.EDIT_SEGMENTS,
    Can.EDIT_TEMPLATES,
    Can.SEND_CAMPAIGNS,
    Can.VIEW_MAILBOX,
    Can.VIEW_CAMPAIGNS,
    Can.VIEW_TEMPLATES,
)

ROLE_CAPABILITIES: dict[str, frozenset[Can]] = {
    Role.OWNER: frozenset(Can),
    Role.MANAGER: frozenset(
        {
            Can.VIEW_CONTACTS,
            Can.EDIT_CONTACTS,
            Can.EXPORT,
            Can.IMPORT,
            Can.ERASE,
            Can.MANAGE_BRANCHES,
            Can.MANAGE_FIELDS,
            *MARKETING,
        }
    ),
    Role.MARKETER: frozenset(
        {Can.VIEW_CONTACTS, Can.EDIT_CONTACTS, Can.EXPORT, Can.IMPORT, *MARKETING}
    ),
    Role.STAFF: frozenset({Can.VIEW_CONTACTS, Can.EDIT_CONTACTS, Can.EXPORT}),
    # A second pair of eyes: reads what is about to go out, and approves it. It needs no
    # customer's personal data for that, so it sees no contacts.
    Role.APPROVER: frozenset({Can.VIEW_CAMPAIGNS, Can.VIEW_TEMPLATES, Can.APPROVE}),
    # Read-only (an accountant): the dashboard, contacts and campaign reports. No exports, since
    # a file of personal data walks out of the system where no audit log follows it.
    Role.VIEWER: frozenset({Can.VIEW_CONTACTS, Can.VIEW_CAMPAIGNS}),
}


# Branch staff see their own branch's contacts only; every other role sees all branches.
BRANCH_SCOPED_ROLES = frozenset({Role.STAFF})


def sees_all_branches(member: Membership) -> bool:
    return member.role not in BRANCH_SCOPED_ROLES


def business_member() -> Membership:
    """Who an API key or a system chore acts as: the business itself, an owner's reach with
    no branch. Never saved; it only answers `can()` and `scope_to_member()`."""
    return Membership(role=Role.OWNER, branch=None)


def can(member: Membership | None, capability: Can) -> bool:
    return member is not None and capability in ROLE_CAPABILITIES.get(member.role, frozenset())


def require(member: Membership | None, capability: Can) -> Membership:
    if member is None or not can(member, capability):
        raise PermissionDenied(f"Your role does not allow: {capability.value}")
    return member


def scope_to_member[M: Model](
    qs: QuerySet[M], member: Membership, *, branch_field: str = "branch"
) -> QuerySet[M]:
    """Narrow a queryset to what the member may see: branch staff see their branch only."""
    if sees_all_branches(member):
        return qs
    return qs.filter(**{f"{branch_field}_id": member.branch_id})


def sees_branch(member: Membership, branch_id: int | None) -> bool:
    """Whether the member may see a contact of this branch, by the rule of scope_to_member."""
    return member.sees_all_branches or (branch_id is not None and branch_id == member.branch_id)


def members_seeing_branch(qs: QuerySet[Membership], branch_id: int | None) -> QuerySet[Membership]:
    """The members who may see a contact of this branch: all but other branches' staff."""
    others = Q(role=Role.STAFF) & ~Q(branch_id=branch_id) if branch_id else Q(role=Role.STAFF)
    return qs.exclude(others)


def member_for(user: object) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership  # type: ignore[attr-defined, no-any-return]
    except Membership.DoesNotExist:
        return None

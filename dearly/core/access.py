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


# Building audiences and messages and sending them: the marketing side of the business.
MARKETING = (Can.EDIT_SEGMENTS, Can.EDIT_TEMPLATES, Can.SEND_CAMPAIGNS, Can.VIEW_MAILBOX)

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
}


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
    if member.sees_all_branches:
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

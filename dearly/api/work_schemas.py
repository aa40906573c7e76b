"""The shapes of touches and staff tasks in the API."""

import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from dearly.touches.models import (
    CallOutcome,
    Direction,
    Kind,
    Task,
    TaskKind,
    TaskStatus,
    Touch,
    TouchChannel,
)

# What another system may log; messages and replies are logged by Dearly itself, purchases
# come through POST /events so they are counted once.
LoggableKind = Literal["call", "visit", "note", "survey"]


class TouchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: LoggableKind
    channel: TouchChannel
    direction: Direction = Direction.OUTBOUND
    outcome: CallOutcome | Literal[""] = Field("", description="For a call or visit")
    note: str = Field("", max_length=2000)
    occurred_at: AwareDatetime | None = Field(None, description="When; default now")


class TouchOut(Schema):
    id: UUID
    kind: Kind
    channel: TouchChannel
    direction: Direction
    occurred_at: dt.datetime
    real: bool = Field(description="False for a call nobody answered: the rhythm is not reset")
    outcome: str
    note: str
    origin: str = Field(description='Where it came from, e.g. "Campaign: Winter menu"')
    staff: str | None = Field(description="Who logged it, for a staff member's touch")

    @staticmethod
    def resolve_id(obj: Touch) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_origin(obj: Touch) -> str:
        return getattr(obj, "origin_label", "")

    @staticmethod
    def resolve_staff(obj: Touch) -> str | None:
        staff = obj.staff
        return (staff.get_full_name() or staff.get_username()) if staff else None


class TouchPage(Schema):
    items: list[TouchOut]
    next_offset: int | None = Field(description="Pass as `offset` for older touches; null at end")


class PageQuery(Schema):
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=500)


class TaskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    contact: UUID
    kind: TaskKind
    title: str = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=2000)
    due_at: AwareDatetime | None = Field(None, description="Default now")


class TaskDoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: CallOutcome | Literal[""] = Field("", description="For a call or visit task")
    note: str = Field("", max_length=2000)


class TaskOut(Schema):
    id: UUID
    contact: UUID
    kind: TaskKind
    title: str
    note: str
    due_at: dt.datetime
    status: TaskStatus
    done_at: dt.datetime | None
    touch: UUID | None = Field(description="The touch logged when it was done")
    created_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Task) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_contact(obj: Task) -> UUID:
        return obj.contact.public_id

    @staticmethod
    def resolve_touch(obj: Task) -> UUID | None:
        return obj.touch.public_id if obj.touch else None


class TaskQuery(PageQuery):
    status: TaskStatus = TaskStatus.OPEN
    contact: UUID | None = None


class TaskPage(Schema):
    items: list[TaskOut]
    next_offset: int | None

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from dearly.contacts.export import export_contacts, export_filename
from dearly.contacts.forms import ContactFilterForm
from dearly.contacts.queries import contacts_for_member
from dearly.contacts.views.common import member_of, page_or_fragment
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required

PER_PAGE = 50


@member_required(Can.VIEW_CONTACTS)
def contact_list(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    form = ContactFilterForm(request.GET, member=member)
    contacts = form.apply(contacts_for_member(member))
    contacts = contacts.select_related("branch").prefetch_related("tags")
    page = Paginator(contacts, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "nav": "contacts"}
    return page_or_fragment(request, "contacts/list.html", "results", context)


@member_required(Can.EXPORT)
def export_csv(request: HttpRequest) -> HttpResponse:
    """The list as filtered on screen, streamed row by row (never held in memory)."""
    member = member_of(request)
    form = ContactFilterForm(request.GET, member=member)
    contacts = form.apply(contacts_for_member(member))
    filters = form.cleaned_data if form.is_valid() else {}
    _, lines = export_contacts(
        actor=Actor.from_request(request), queryset=contacts, filters=filters, bom=True
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    # member_required is typed for HttpResponse; a streamed response is just as valid here.
    return response  # type: ignore[return-value]

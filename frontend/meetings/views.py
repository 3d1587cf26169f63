"""Meeting screens: the meetings a user may see, planning one, walking its agenda case
by case, fixing the minutes, and the agenda and minutes as PDF (holding what the
attendees may see: no more of a person than initials and a birth year)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import allowed
from accounts.policy import Action, may, require, visible_cases
from frontend.cases.casework_forms import ActionFormSet
from frontend.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    GuestFormSet,
    MeetingForm,
    MoveMeetingForm,
    OptionalPlanForm,
    OptionalRiskForm,
)
from meldpunt.pdf import pdf_response, render_pdf
from workflow.labels import region_labels
from workflow.models import Casus, Meeting
from workflow.selectors import read_agenda_item, read_meeting, visible_meetings
from workflow.services import meetings as meeting_service
from workflow.services import risk
from workflow.services.plans import current_plan


@allowed(Action.VIEW_MEETINGS)
def meetings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    listed = visible_meetings(request.user).select_related("chair").prefetch_related("attendees")
    context = {
        "upcoming": listed.filter(starts_at__gte=now - timezone.timedelta(hours=12)).order_by(
            "starts_at"
        )[:50],
        "earlier": listed.filter(starts_at__lt=now - timezone.timedelta(hours=12))[:50],
        "may_schedule": may(request.user, Action.SCHEDULE_MEETING),
        "may_subscribe": may(request.user, Action.SUBSCRIBE_TO_MEETINGS),
    }
    return render(request, "meetings/list.html", context)


@allowed(Action.SCHEDULE_MEETING)
@require_http_methods(["GET", "POST"])
def new_meeting(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form, guests = MeetingForm(data), GuestFormSet(data, prefix="gast")
    if data is not None and form.is_valid() and guests.is_valid():
        meeting = meeting_service.plan_meeting(
            actor=request.user,
            **form.cleaned_data,
            guests=[guest.guest() for guest in guests if guest.has_changed() and guest.guest()],
        )
        messages.success(request, _("Het overleg is gepland. Zet er nu casussen op de agenda."))
        return redirect("meetings:detail", pk=meeting.pk)
    context = {"form": form, "guests": guests}
    return render(request, "meetings/new.html", context, status=400 if data else 200)


@allowed(Action.VIEW_MEETING, unseen=True)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_file = read_meeting(request.user, pk)
    context = {
        "file": meeting_file,
        "meeting": meeting_file.meeting,
        "may_schedule": may(request.user, Action.SCHEDULE_MEETING),
        "labels": region_labels(),
    }
    return render(request, "meetings/detail.html", context)


@allowed(Action.VIEW_MEETING, unseen=True)
def meeting_pdf(request: HttpRequest, pk: int, document: str) -> HttpResponse:
    meeting_file = read_meeting(request.user, pk, grounds="overleg (afdruk)")
    template = "meetings/pdf_agenda.html" if document == "agenda" else "meetings/pdf_minutes.html"
    context = {"file": meeting_file, "labels": region_labels(), "site_name": request.tenant.name}
    content = render_pdf(template, context)
    day = timezone.localtime(meeting_file.meeting.starts_at)
    return pdf_response(content, f"{document}-{day:%Y%m%d}.pdf")


@allowed(Action.SCHEDULE_MEETING)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who of the attendees and guests was at the meeting."""
    meeting = get_object_or_404(visible_meetings(request.user), pk=pk)
    data = request.POST if request.method == "POST" else None
    initial = {
        "present": list(meeting.present.all()),
        "guests_present": list(meeting.guests.filter(present=True)),
    }
    form = AttendanceForm(data, meeting=meeting, initial=initial)
    if data is not None and form.is_valid():
        try:
            meeting_service.record_attendance(
                meeting,
                actor=request.user,
                present=list(form.cleaned_data["present"]),
                guests_present=list(form.cleaned_data.get("guests_present", [])),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De aanwezigheid is vastgelegd."))
            return redirect("meetings:detail", pk=pk)
    context = {"meeting": meeting, "form": form}
    return render(request, "meetings/attendance.html", context, status=400 if data else 200)


def planned_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting to move or cancel: one the user sees (else 404), by who plans (else 403)."""
    meeting = get_object_or_404(visible_meetings(request.user), pk=pk)
    require(request.user, Action.SCHEDULE_MEETING)
    return meeting


@allowed(Action.VIEW_MEETING, unseen=True)
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Another time or place; every attendee gets the changed invitation."""
    meeting = planned_meeting(request, pk)
    data = request.POST if request.method == "POST" else None
    initial = {"starts_at": timezone.localtime(meeting.starts_at), "location": meeting.location}
    form = MoveMeetingForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            meeting_service.move_meeting(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Het overleg is gewijzigd. De deelnemers krijgen de nieuwe uitnodiging.")
            )
            return redirect("meetings:detail", pk=pk)
    context = {"meeting": meeting, "form": form}
    return render(request, "meetings/move.html", context, status=400 if data else 200)


@allowed(Action.VIEW_MEETING, unseen=True)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """After a confirmation: the meeting does not take place, its cases leave the
    agenda, and every attendee gets the cancellation."""
    meeting = planned_meeting(request, pk)
    if request.method == "POST":
        try:
            meeting_service.cancel_meeting(meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Het overleg is afgezegd. De deelnemers krijgen bericht."))
        return redirect("meetings:detail", pk=pk)
    # Only the codes of the cases that leave the agenda: nothing of a person is read.
    cases = visible_cases(request.user, Casus.objects.filter(agenda_items__meeting=meeting))
    references = cases.order_by("reference").values_list("reference", flat=True)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "references": references})


@allowed(Action.VIEW_MEETING, unseen=True)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Fixing the minutes; with cases not discussed or before the meeting's day, a page
    that says so and asks for confirmation first."""
    meeting_file = read_meeting(request.user, pk)
    try:
        meeting_service.close_meeting(
            meeting_file.meeting, actor=request.user, confirmed="bevestigd" in request.POST
        )
    except meeting_service.ClosingNeedsConfirmation as asked:
        undiscussed = {item.pk for item in asked.concerns.undiscussed}
        context = {
            "meeting": meeting_file.meeting,
            "concerns": asked.concerns,
            "undiscussed": [e for e in meeting_file.entries if e.item.pk in undiscussed],
        }
        return render(request, "meetings/close_confirm.html", context)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Het verslag is vastgesteld."))
    return redirect("meetings:detail", pk=pk)


def entry_of(request: HttpRequest, pk: int, item: int):
    return read_agenda_item(request.user, pk, item)


@allowed(Action.VIEW_MEETING, unseen=True)
@require_POST
def remove_item(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    _meeting_file, entry = entry_of(request, pk, item)
    try:
        meeting_service.remove_from_agenda(entry.item, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("De casus is van de agenda gehaald."))
    return redirect("meetings:detail", pk=pk)


@allowed(Action.VIEW_MEETING, unseen=True)
@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """One case in the meeting: minutes, decision, risk assessment, plan, coordinator and
    where the case goes next, recorded in one submission."""
    meeting_file, entry = entry_of(request, pk, item)
    require(request.user, Action.RECORD_IN_MEETING, entry.casus)
    data = request.POST if request.method == "POST" else None
    earlier_plan = current_plan(entry.casus)
    form = AgendaItemForm(data, item=entry.item, initial={"minutes": entry.item.minutes})
    risk_form = OptionalRiskForm(data, prefix="risico", prefill=risk.prefill(entry.casus))
    plan_form = OptionalPlanForm(data, prefix="plan", revising=earlier_plan is not None)
    actions = ActionFormSet(data, prefix="actie")
    forms_valid = all(f.is_valid() for f in (form, risk_form, plan_form, actions))
    if data is not None and forms_valid:
        record = meeting_service.ItemRecord(
            minutes=form.cleaned_data["minutes"],
            decision=form.cleaned_data["decision"],
            coordinator=form.cleaned_data["coordinator"],
            move_to=form.cleaned_data["move_to"],
            risk_answers=risk_form.answers() if risk_form.is_filled() else {},
            risk_level=risk_form.cleaned_data["level"],
            risk_deviation_reason=risk_form.cleaned_data["deviation_reason"],
            plan_goals=plan_form.cleaned_data["goals"],
            plan_revision_reason=plan_form.cleaned_data.get("revision_reason", ""),
            plan_actions=[a.action_data() for a in actions if a.has_changed()],
        )
        try:
            with transaction.atomic():
                meeting_service.record_agenda_item(entry.item, actor=request.user, data=record)
        except ValidationError as error:  # the engine's refused move among them
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Casus %(reference)s is besproken.") % {"reference": entry.casus.reference},
            )
            return redirect("meetings:detail", pk=pk)
    context = {
        "meeting": meeting_file.meeting,
        "entry": entry,
        "form": form,
        "risk_form": risk_form,
        "plan_form": plan_form,
        "actions": actions,
        "earlier_plan": earlier_plan,
    }
    return render(request, "meetings/item.html", context, status=400 if data else 200)

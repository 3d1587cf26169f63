"""A meeting named as a person tells it from the others of its kind, in choices and headings."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflow.models import Meeting


def meeting_name(meeting: Meeting) -> str:
    """A meeting as a person tells it from the others of its kind: when, where (or its
    name) and who chairs it. Reads `chair`: select it with the meeting."""
    parts = [
        date_format(timezone.localtime(meeting.starts_at), "l j F Y H:i"),
        meeting.get_kind_display(),
        ", ".join(part for part in (meeting.title, meeting.location) if part),
    ]
    if meeting.chair:
        parts.append(_("voorzitter %(name)s") % {"name": meeting.chair})
    return " · ".join(part for part in parts if part)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return meeting_name(obj)

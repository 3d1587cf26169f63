"""E-mail about waiting work: the daily overview reaches those with work who did not
choose "nooit", once a day; events reach those who chose "direct"; partner contacts are
reminded once as a date nears and once when it has passed. The real task functions run
against the real database, and no mail says anything about a case."""

from datetime import timedelta

import pytest
from django.db.models import Max
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from configuratie.gemeenten import name_of
from configuratie.models import Partner, PartnerContact
from meldpunt.models import OutboxMessage
from tests.factories import intake_case, person, sign_covenants
from tests.statistiek.test_exports_and_privacy import secrets_of_the_region
from workflow import tasks
from workflow.models import (
    InformationRequest,
    InvolvedPerson,
    JournalEntry,
    Meeting,
    MeetingGuest,
    NotificationSetting,
    Referral,
    Report,
    ReporterMessage,
)
from workflow.services import information, meetings, notifications, referrals
from workflow.services.reports import reply_from_reporter


def mails_to(user) -> list[OutboxMessage]:
    return [message for message in OutboxMessage.objects.all() if message.to == user.email]


def choose(user, frequency: str) -> None:
    NotificationSetting.objects.update_or_create(user=user, defaults={"frequency": frequency})


def test_the_daily_overview_goes_once_to_who_has_work_and_did_not_choose_never(twente, make_user):
    daily = make_user(twente, "medewerker")
    at_once = make_user(twente, "medewerker")
    never = make_user(twente, "medewerker")
    idle = make_user(twente, "analist")
    with tenant_context(twente):
        intake_case(daily, person("Werk Voor Iedereen"))
        choose(at_once, "direct")
        choose(never, "nooit")
        before = OutboxMessage.objects.count()
        assert tasks.send_work_digests() >= 2
        assert len(mails_to(daily)) == 1
        assert len(mails_to(at_once)) == 1
        assert mails_to(never) == mails_to(idle) == []
        body = mails_to(daily)[0].body
        assert body.count("://") == 1 and "Werk" not in body
        # The beat may run again the same day: nothing more.
        after = OutboxMessage.objects.count()
        assert tasks.send_work_digests() == 0
        assert OutboxMessage.objects.count() == after > before


def partner_with_contact(region, make_user, frequency: str = "dagelijks"):
    sign_covenants(region)
    contact_user = make_user(region, "partnercontact")
    with tenant_context(region):
        partner = Partner.objects.filter(participates_in__contains=["informatieronde"]).first()
        PartnerContact.objects.create(partner=partner, name="Contact", account=contact_user)
        choose(contact_user, frequency)
    return partner, contact_user


def open_request(region, staff, partner, answer_by) -> InformationRequest:
    with tenant_context(region):
        casus = intake_case(staff, person("Herinnering Naam"))
        return InformationRequest.objects.create(
            casus=casus,
            recorded_by=staff,
            partner=partner,
            question="Vraag",
            legal_basis="convenant",
            answer_by=answer_by,
        )


def test_partner_contacts_are_reminded_once_as_the_date_nears_and_once_when_it_passed(
    twente, make_user
):
    staff = make_user(twente, "medewerker")
    partner, contact = partner_with_contact(twente, make_user)
    _other_partner_contact = make_user(twente, "partnercontact")
    with tenant_context(twente):
        other = Partner.objects.exclude(pk=partner.pk).first()
        PartnerContact.objects.create(partner=other, name="Ander", account=_other_partner_contact)
    today = timezone.localdate()
    request = open_request(twente, staff, partner, today + timedelta(days=2))
    later = open_request(twente, staff, partner, today + timedelta(days=10))
    with tenant_context(twente):
        assert tasks.remind_partners() == 1
        assert len(mails_to(contact)) == 1
        assert mails_to(_other_partner_contact) == []
        assert tasks.remind_partners() == 0  # not twice
        request.refresh_from_db()
        later.refresh_from_db()
        assert request.reminded_at is not None and later.reminded_at is None
        # The date passes: one more reminder, and then no more.
        InformationRequest.objects.filter(pk=request.pk).update(
            answer_by=today - timedelta(days=1),
            reminded_at=timezone.now() - timedelta(days=3),
        )
        assert tasks.remind_partners() == 1
        assert tasks.remind_partners() == 0
        assert len(mails_to(contact)) == 2
        # Answered requests are not reminded.
        InformationRequest.objects.filter(pk=later.pk).update(
            answer_by=today, closed_at=timezone.now()
        )
        assert tasks.remind_partners() == 0


def test_a_partner_contact_who_chose_never_gets_no_reminder(twente, make_user):
    staff = make_user(twente, "medewerker")
    partner, contact = partner_with_contact(twente, make_user, frequency="nooit")
    request = open_request(twente, staff, partner, timezone.localdate())
    with tenant_context(twente):
        assert tasks.remind_partners() == 0
        assert mails_to(contact) == []
        request.refresh_from_db()
        assert request.reminded_at is None  # reminded when someone can be reached


def test_who_chose_at_once_hears_at_once_that_a_partner_answered_or_a_reporter_wrote(
    twente, make_user
):
    asker = make_user(twente, "medewerker")
    daily = make_user(twente, "medewerker")
    partner, contact = partner_with_contact(twente, make_user)
    request = open_request(twente, asker, partner, timezone.localdate() + timedelta(days=5))
    with tenant_context(twente):
        choose(asker, "direct")
        information.answer_in_portal(request, actor=contact, answer="Bekend bij ons.")
        assert len(mails_to(asker)) == 1
        assert mails_to(daily) == []
        reply_from_reporter(request.casus.reports.first(), "Ik weet nog iets.")
        assert len(mails_to(asker)) == 2
        assert mails_to(daily) == []


def test_the_referrer_hears_at_once_that_the_partner_decided(twente, make_user):
    asker = make_user(twente, "medewerker")
    sign_covenants(twente)
    contact = make_user(twente, "partnercontact")
    with tenant_context(twente):
        partner = Partner.objects.filter(participates_in__contains=["doorverwijzing"]).first()
        PartnerContact.objects.create(partner=partner, name="Contact", account=contact)
        choose(asker, "direct")
        casus = intake_case(asker, person("Verwezen Persoon"))
        referral = Referral.objects.create(
            casus=casus, recorded_by=asker, partner=partner, legal_basis="convenant"
        )
        referrals.decide_in_portal(referral, actor=contact, accepted=True)
        assert len(mails_to(asker)) == 1


def test_the_setting_is_only_the_users_own_and_one_of_the_choices(twente, make_user):
    from django.core.exceptions import ValidationError

    user, other = make_user(twente, "medewerker"), make_user(twente, "medewerker")
    with tenant_context(twente):
        notifications.set_frequency(user, actor=user, frequency="nooit")
        assert notifications.frequency_of(user) == "nooit"
        assert notifications.frequency_of(other) == "dagelijks"
        with pytest.raises(ValidationError):
            notifications.set_frequency(other, actor=user, frequency="direct")
        with pytest.raises(ValidationError):
            notifications.set_frequency(user, actor=user, frequency="elk uur")


def words_of_the_cases(region) -> set[str]:
    """Everything a mail must never hold: names, schools, towns and texts of the
    region's cases, and the codes that point at a case or a report."""
    found = secrets_of_the_region(region)
    with tenant_context(region):
        persons = list(InvolvedPerson.objects.all())
        found |= {name_of(p.municipality) for p in persons if p.municipality}
        found |= {r.concern for r in Report.objects.all()} | {
            r.follow_code for r in Report.objects.all()
        }
        found |= {r.casus.reference for r in Report.objects.select_related("casus")}
        found |= {e.text for e in JournalEntry.objects.all()}
        found |= {m.text for m in ReporterMessage.objects.all()}
        for request in InformationRequest.objects.all():
            found |= {request.question, request.answer}
    return {text for text in found if text and len(text) > 3}


def test_no_notification_or_reminder_mail_holds_anything_of_the_seeded_cases(
    twente, limburg, settings_demo
):
    """Both demo regions seeded as `make run` does, every user choosing "direct", then
    every kind of mail: events, the daily overview, the partner reminders and the
    calendar invitations of a meeting moved and cancelled, attachments included."""
    from tenants.services.demo import seed_demo

    seed_demo()
    for region in (twente, limburg):
        with tenant_context(region):
            first_new = (OutboxMessage.objects.aggregate(last=Max("id"))["last"] or 0) + 1
            for account in User.objects.all():
                choose(account, "direct")
            portal = PartnerContact.objects.exclude(account=None).select_related("account").get()
            seeded = Report.objects.order_by("id").select_related("casus").first()
            asked = InformationRequest.objects.create(
                casus=seeded.casus,
                recorded_by=User.objects.get(email__startswith="medewerker@"),
                partner=portal.partner,
                question="Vraag.",
                legal_basis="convenant",
                answer_by=timezone.localdate(),
            )
            information.answer_in_portal(asked, actor=portal.account, answer="Antwoord.")
            reply_from_reporter(seeded, "Nieuw bericht.")
            NotificationSetting.objects.update(last_sent_at=None)
            assert tasks.send_work_digests() > 0
            InformationRequest.objects.filter(closed_at__isnull=True).update(
                answer_by=timezone.localdate()
            )
            assert tasks.remind_partners() > 0
            move_and_cancel_a_meeting_with_cases_on_its_agenda()
            mails = list(OutboxMessage.objects.filter(id__gte=first_new))
            assert len(mails) > 5
            assert sum(1 for mail in mails if mail.attachment) >= 4
            forbidden = words_of_the_cases(region)
            assert len(forbidden) > 50
            for mail in mails:
                text = f"{mail.subject}\n{mail.body}\n{mail.attachment_name}\n{mail.attachment}"
                leaked = [word for word in forbidden if word in text]
                assert leaked == [], (mail.subject, leaked)


def move_and_cancel_a_meeting_with_cases_on_its_agenda() -> None:
    """The seeded meeting still to come, with a guest: its invitations as moved and as
    cancelled, each with the iCalendar attachment, while cases are on its agenda."""
    meeting = (
        Meeting.objects.filter(closed_at__isnull=True, items__isnull=False)
        .exclude(items__discussed_at__isnull=False)
        .distinct()
        .order_by("starts_at")
        .first()
    )
    assert meeting.items.exists()
    MeetingGuest.objects.create(
        meeting=meeting,
        name="Gast Van Een Partner",
        partner=Partner.objects.order_by("pk").first(),
        email="gast@partner.example",
    )
    meetings.move_meeting(
        meeting,
        actor=meeting.created_by,
        starts_at=meeting.starts_at + timedelta(hours=1),
        location="https://video.example.org/overleg",
    )
    meetings.cancel_meeting(meeting, actor=meeting.created_by)


@pytest.fixture
def settings_demo(settings):
    settings.DEBUG = True
    settings.DEMO_MODE = True
    assert settings.DEMO_MODE

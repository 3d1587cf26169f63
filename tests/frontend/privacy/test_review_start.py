"""The weekly access review started from its screen: the privacy officer starts it,
a worker makes it once the request is done, the screen then says when it last ran;
a second start while one waits is refused, and other roles cannot start it."""

import pytest
from django.test import TestCase
from django.urls import reverse
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from privacy.models import AccessReview, PrivacyRun
from privacy.services import runs
from tests.frontend.privacy.test_privacy_screens import reauthenticate


def test_the_privacy_officer_starts_the_review_and_sees_when_it_last_ran(twente, logged_in):
    officer = logged_in(twente, "privacyofficer")
    reauthenticate(officer)
    screen = reverse("privacy:reviews")
    assert "De logcontrole is nog niet uitgevoerd." in officer.get(screen).content.decode()

    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        assert officer.post(reverse("privacy:start_review")).status_code == 302
    assert len(queued) == 1  # handed to a worker once the request's transaction commits
    with tenant_context(twente):
        run = PrivacyRun.objects.get()
        assert (run.kind, run.status) == (PrivacyRun.Kind.REVIEW, PrivacyRun.Status.QUEUED)
        assert AuditEntry.objects.filter(
            detail__gestart="logcontrole", user_id=officer.user.pk
        ).exists()
    again = officer.post(reverse("privacy:start_review"), follow=True).content.decode()
    assert "Deze taak wacht al of wordt al uitgevoerd." in again
    with tenant_context(twente):
        assert PrivacyRun.objects.count() == 1
        runs.perform(run.pk)  # what the worker does
        assert AccessReview.objects.count() == 1

    page = officer.get(screen).content.decode()
    assert "De logcontrole is het laatst uitgevoerd op" in page
    assert "Logcontrole nu uitvoeren" in page


@pytest.mark.parametrize("role", ["medewerker", "regiobeheerder"])
def test_other_roles_cannot_start_the_review(twente, logged_in, role):
    client = logged_in(twente, role)
    assert client.post(reverse("privacy:start_review")).status_code == 403
    with tenant_context(twente):
        assert not PrivacyRun.objects.exists()

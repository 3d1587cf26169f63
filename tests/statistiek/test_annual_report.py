"""The yearly report: requested on its page, made by a Celery task whose progress the
page follows (htmx asks again until it is ready), downloaded as an audit line."""

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from statistiek import tasks
from statistiek.models import AnnualReport


def test_a_requested_report_is_queued_shows_its_progress_and_downloads_when_ready(
    twente, history, logged_in, django_capture_on_commit_callbacks
):
    analist = logged_in(twente, "analist")
    with django_capture_on_commit_callbacks() as queued:
        response = analist.post(reverse("statistiek:annual_reports"), {"year": "2025"})
    assert response.status_code == 302
    assert len(queued) == 1  # the task is handed to the broker only after the commit
    with tenant_context(twente):
        report = AnnualReport.objects.get()
    progress_url = reverse("statistiek:annual_report_progress", args=[report.pk])
    waiting = analist.get(progress_url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "in de wachtrij" in waiting

    with tenant_context(twente):
        tasks.generate_annual_report(report.pk)
    ready = analist.get(progress_url).content.decode()
    assert "hx-trigger" not in ready and 'value="100"' in ready
    download = analist.get(reverse("statistiek:annual_report_download", args=[report.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    with tenant_context(twente):
        line = AuditEntry.objects.get(action=AuditAction.EXPORT, user_id=analist.user.pk)
        assert line.detail == {"jaarverslag": 2025, "formaat": "pdf"}


def test_a_report_that_fails_says_so(twente, logged_in, monkeypatch):
    analist = logged_in(twente, "analist")
    with tenant_context(twente):
        report = AnnualReport.objects.create(year=2025, requested_by=analist.user)
        monkeypatch.setattr("statistiek.annual_report.render_pdf", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            tasks.generate_annual_report(report.pk)
        report.refresh_from_db()
        assert report.status == AnnualReport.Status.FAILED

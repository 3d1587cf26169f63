"""The sign-in, password and two-factor pages address the reader with "u", like the rest of the product."""

import re
from html.parser import HTMLParser

import pyotp
from django.core import mail
from django.urls import reverse
from django_tenants.utils import tenant_context

from meldpunt.outbox import deliver_pending
from tests.conftest import TEST_PASSWORD

INFORMAL = re.compile(r"\b(je|jij|jouw|jou|jezelf)\b", re.IGNORECASE)
NEW_PASSWORD = "Een-heel-goed-wachtwoord-2026"


class VisibleText(HTMLParser):
    """The text a reader sees (and a screen reader reads), without scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._hidden += tag in ("script", "style")
        self.parts.extend(
            value
            for name, value in attrs
            if name in ("aria-label", "title", "placeholder") and value
        )

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def informal_words(response) -> list[str]:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    parser = VisibleText()
    parser.feed(response.content.decode())
    return [part.strip() for part in parser.parts if INFORMAL.search(part)]


def assert_formal(pages: dict) -> None:
    informal = {name: informal_words(page) for name, page in pages.items()}
    assert {name: words for name, words in informal.items() if words} == {}


def reset_link(region) -> re.Match:
    """The path of the reset link in the mail the outbox delivers."""
    with tenant_context(region):
        deliver_pending()
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)


def test_sign_in_and_password_reset_pages_say_u(twente, make_user, client_for):
    user = make_user(twente, "medewerker")
    visitor = client_for(twente)
    pages = {
        "sign-in": visitor.get(reverse("account_login")),
        "sign-in refused": visitor.post(
            reverse("account_login"), {"login": user.email, "password": "niet-het-wachtwoord"}
        ),
        "reset": visitor.get(reverse("account_reset_password")),
        "reset requested": visitor.post(
            reverse("account_reset_password"), {"email": user.email}, follow=True
        ),
    }
    key_path = reset_link(twente)
    form = visitor.get(key_path.group(1), follow=True)
    pages["choose password"] = form
    pages["choose password refused"] = visitor.post(
        form.redirect_chain[-1][0], {"password1": "kort", "password2": "anders"}
    )
    pages["password saved"] = visitor.post(
        form.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    pages["link used"] = visitor.get(key_path.group(1), follow=True)
    assert_formal(pages)


def test_after_setting_a_password_the_page_links_to_sign_in(twente, make_user, client_for):
    user = make_user(twente, "medewerker")
    visitor = client_for(twente)
    visitor.post(reverse("account_reset_password"), {"email": user.email})
    key_path = reset_link(twente)
    form = visitor.get(key_path.group(1), follow=True)
    done = visitor.post(
        form.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("account_reset_password_from_key_done")
    assert f'href="{reverse("account_login")}"' in done.content.decode()


def test_two_factor_pages_say_u(twente, make_user, client_for):
    user = make_user(twente, "medewerker")
    member = client_for(twente)
    pages = {
        "second factor": member.post(
            reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}, follow=True
        ),
        "second factor refused": member.post(reverse("mfa_authenticate"), {"code": "000000"}),
    }
    signed_in = member.post(
        reverse("mfa_authenticate"), {"code": pyotp.TOTP(user.totp_secret).now()}
    )
    assert signed_in.status_code == 302
    pages |= {
        "two-factor overview": member.get(reverse("mfa_index")),
        "new recovery codes": member.get(reverse("mfa_generate_recovery_codes")),
        "recovery codes": member.post(reverse("mfa_generate_recovery_codes"), follow=True),
        "switch off the app": member.get(reverse("mfa_deactivate_totp"), follow=True),
        "confirm with a code": member.get(reverse("mfa_reauthenticate")),
        "confirm with the password": member.get(reverse("account_reauthenticate")),
        "password refused": member.post(
            reverse("account_reauthenticate"), {"password": "niet-het-wachtwoord"}
        ),
    }
    newcomer = make_user(twente, "analist", mfa=False)
    setting_up = client_for(twente)
    setting_up.post(reverse("account_login"), {"login": newcomer.email, "password": TEST_PASSWORD})
    pages["set up the app"] = setting_up.get(reverse("mfa_activate_totp"))
    pages["set up the app refused"] = setting_up.post(
        reverse("mfa_activate_totp"), {"code": "000000"}
    )
    assert_formal(pages)

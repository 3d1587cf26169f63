"""How a user wants to hear that work waits for them: at once, once a day, or not by
e-mail (the "voor mij" list on their home page is always there). E-mail never says
what the work is about: a link and a count."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationSetting(models.Model):
    class Frequency(models.TextChoices):
        AT_ONCE = "direct", _("direct")
        DAILY = "dagelijks", _("één keer per dag")
        NEVER = "nooit", _("geen e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    frequency = models.CharField(
        _("e-mail over werk dat op mij wacht"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")

    def __str__(self) -> str:
        return self.get_frequency_display()

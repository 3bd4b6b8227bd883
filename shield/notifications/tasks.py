"""Background tasks (django-tasks): the emails of notifications, sent after the act commits."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from shield.notifications.models import Notification
from shield.notifications.texts import agencies_named, render


def _absolute(path: str) -> str:
    return f"{settings.SHIELD_SITE_URL.rstrip('/')}{path}"


@task()
def notification_emails_send(notification_ids: list[str]) -> int:
    """Email each notification to its recipient (who opted in when it was raised): the same sentence
    as the bell shows and a link, no names. Written in the site's language (users have no language
    of their own yet). Returns how many were sent; a recipient without an address is skipped."""
    found = list(
        Notification.objects.filter(pk__in=notification_ids, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        agencies = agencies_named(n.params for n in found)
        for notification in found:
            text = render(notification.kind, notification.params, agencies)
            body = "\n\n".join(
                [
                    text,
                    _("Open it in Shield: %(link)s") % {"link": _absolute(notification.url)},
                    _("You receive these emails because you asked for them. Stop them here: %(link)s")
                    % {"link": _absolute(reverse("notifications:settings"))},
                ]
            )
            subject = _("Shield: %(text)s") % {"text": text}
            messages.append((subject[:150], body, None, [notification.recipient.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0

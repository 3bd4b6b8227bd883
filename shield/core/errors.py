"""The ApplicationError family: what services raise and views turn into clear answers."""

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refusal the user can understand; `message` is shown to them as it is."""

    status_code = 400
    default_message = _("The request could not be completed.")

    def __init__(
        self,
        message: str | None = None,
        *,
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    status_code = 400
    default_message = _("Some fields are not valid.")


class NotFound(ApplicationError):
    """Missing and forbidden look the same from outside: both are 'not found'."""

    status_code = 404
    default_message = _("Not found.")


class PermissionRefused(ApplicationError):
    status_code = 403
    default_message = _("You do not have permission to do this.")


class StaleVersion(ApplicationError):
    """Someone else saved the record since it was read; nothing was written."""

    status_code = 412
    default_message = _(
        "Someone else changed this record after you opened it. Nothing was saved: "
        "reload to see their changes, then apply yours again."
    )


class VersionRequired(ApplicationError):
    status_code = 428
    default_message = _("This change must name the version of the record it was based on.")


class InvalidTransition(ApplicationError):
    status_code = 409
    default_message = _("That change of state is not allowed.")

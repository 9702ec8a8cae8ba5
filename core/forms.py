from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def saved(form: forms.Form, write: Callable[[], object]) -> bool:
    """Call the service ``write``. When it refuses with a ``ValidationError``, put each message
    beside the field it names (above the form when it names none or no such field), so the
    page's error summary lists them, and return False: the service saved nothing."""
    try:
        write()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True

from collections.abc import Callable

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
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


def form_helper(*fields) -> FormHelper:
    """The crispy-forms-gds helper of every Harbour form: crispy draws the fields in ``fields``'
    layout; the page draws the ``<form>``, its button and (for a POST) its CSRF token. A token
    from crispy as well would be a second one in a POST form, and in a GET form (the filters)
    it would put the token in the address bar, the history and the server's logs."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper

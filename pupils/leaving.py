"""Pages of other apps where an item of the leaving checklist is done.

A later app that owns the work behind an item registers its page, and the checklist links to
it instead of the plain "record as done" form, without pupils importing that app::

    # concerns/apps.py
    from pupils.leaving import register_task_page

    register_task_page(LeavingTask.Item.CP_FILE_TRANSFERRED, "concerns:cp_file")

The page's URL takes the pupil's primary key (``pk``). The item keeps its own capability
(``LeavingTask.capability``): the link is shown only to those who may do it.
"""

from django.urls import reverse

_PAGES: dict[str, str] = {}


def register_task_page(item: str, url_name: str) -> None:
    _PAGES[item] = url_name


def task_page_url(item: str, pupil_id: int) -> str:
    """The page where ``item`` is done for the child, or "" when no app has registered one."""
    url_name = _PAGES.get(item)
    return reverse(url_name, kwargs={"pk": pupil_id}) if url_name else ""

"""Small pieces of page furniture shared by every app's templates."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, label: str = "Pages"):
    """GOV.UK pagination for a Django ``Page``, keeping the page's filters in each link.
    Long runs of pages are elided: 1 … 4 5 [6] 7 8 … 20."""
    numbers = []
    if page.paginator.num_pages > 1:
        numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return {
        "request": context["request"],
        "page": page,
        "label": label,
        "numbers": numbers,
        "ellipsis": page.paginator.ELLIPSIS,
    }

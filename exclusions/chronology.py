"""The pathway's entries in a child's chronology: risks, consultations, alternatives,
suspensions and exclusions (and their cancellation), reintegration, reduced timetables.
Three queries."""

from django.urls import reverse

from pupils.chronology import ChronologyEntry, register


@register("exclusions")
def exclusion_entries(pupil, request) -> list[ChronologyEntry]:
    url = reverse("exclusions:pupil", args=[pupil.pk])
    entries: list[ChronologyEntry] = []
    for risk in pupil.suspension_risks.prefetch_related("alternatives"):
        entries.append(
            ChronologyEntry(risk.opened_on, "exclusion", "At risk of suspension", url=url)
        )
        if risk.consulted_on:
            entries.append(
                ChronologyEntry(
                    risk.consulted_on, "exclusion", "Virtual School consulted", risk.adviser, url
                )
            )
        for alternative in risk.alternatives.all():
            entries.append(
                ChronologyEntry(
                    alternative.started_on,
                    "exclusion",
                    f"Alternative tried: {alternative}",
                    url=url,
                )
            )
    for exclusion in pupil.exclusions.all():
        if exclusion.is_permanent:
            title = "Permanently excluded"
        else:
            unit = "lunchtime" if exclusion.unit == exclusion.Unit.LUNCHTIMES else "school day"
            title = f"Suspended for {exclusion.length} {unit}{'s' if exclusion.length != 1 else ''}"
        entries.append(
            ChronologyEntry(
                exclusion.start_date, "exclusion", title, exclusion.get_reason_display(), url
            )
        )
        if exclusion.cancelled_on:
            entries.append(
                ChronologyEntry(exclusion.cancelled_on, "exclusion", f"{title}: cancelled", url=url)
            )
        if exclusion.reintegration_on:
            entries.append(
                ChronologyEntry(
                    exclusion.reintegration_on, "exclusion", "Reintegration meeting", url=url
                )
            )
    for timetable in pupil.reduced_timetables.all():
        entries.append(
            ChronologyEntry(
                timetable.starts_on,
                "exclusion",
                f"Reduced timetable started ({timetable.hours_per_week:g} hours a week)",
                url=url,
            )
        )
    return entries

"""Strengths and Difficulties Questionnaire (SDQ) scores: validation, total and bands.

Pure functions over scale scores; the peps app stores the scores on its own models.

Harbour records the six scores an informant's completed SDQ produced (scored on paper or by
the local authority), never the questionnaire itself: the SDQ is copyright of Youthinmind
(Robert Goodman), its content may not be modified, and creating or distributing an electronic
version needs Youthinmind's agreement (DOMAIN.md 5.4, [S131]). So the 25 questions, their
wording and per-item answers are never stored or shown, and Harbour does not score items.

Scores (DOMAIN.md 5.2): each of the five scales is 0-10; total difficulties is emotional +
conduct + hyperactivity + peer (0-40; prosocial is excluded) [S117][S122]; the impact
supplement is 0-10 for the parent/carer and self-report versions and 0-6 for the teacher
version [S121][S123].

Bands (DOMAIN.md 5.3) are the four-band tables for the age 4-17 versions, one table per
informant, kept below as data with their sources and caveats. The 2-4 versions have other
cut-offs that Harbour's sources do not give: do not band them with these tables. There is no
self-report table in Harbour's sources, so a young person's own SDQ is not banded.

The DfE reporting band for looked-after children (carer total) is ``dfe_lac_band`` [S126].
"""

from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db.models import TextChoices

SCALE_MAX = 10
TOTAL_MAX = 40

SELF_REPORT_NOT_BANDED = "Not banded: no self-report cut-offs in Harbour's sources."


class Informant(TextChoices):
    CARER = "carer", "Parent or carer"
    TEACHER = "teacher", "Teacher"
    YOUNG_PERSON = "young_person", "Young person (self-report)"


class Band(TextChoices):
    """The four SDQ bands, from least to most concern.

    Prosocial behaviour is a strength, so for it the same bands read "slightly lowered", "low"
    and "very low": use ``band.wording(scale)`` to show a band.
    """

    CLOSE_TO_AVERAGE = "close_to_average", "Close to average"
    SLIGHTLY_RAISED = "slightly_raised", "Slightly raised"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"

    def wording(self, scale: str) -> str:
        """The band's name as the SDQ reports it for ``scale``."""
        if scale == "prosocial":
            return PROSOCIAL_WORDING[self]
        return str(self.label)


PROSOCIAL_WORDING = {
    Band.CLOSE_TO_AVERAGE: "Close to average",
    Band.SLIGHTLY_RAISED: "Slightly lowered",
    Band.HIGH: "Low",
    Band.VERY_HIGH: "Very low",
}

SCALE_NAMES = {
    "emotional": "Emotional symptoms",
    "conduct": "Conduct problems",
    "hyperactivity": "Hyperactivity and inattention",
    "peer": "Peer relationship problems",
    "prosocial": "Prosocial behaviour",
    "impact": "Impact",
    "total": "Total difficulties",
}


@dataclass(frozen=True)
class SdqScales:
    """One informant's scale scores. ``impact`` is None when the impact supplement is blank."""

    emotional: int
    conduct: int
    hyperactivity: int
    peer: int
    prosocial: int
    impact: int | None = None


def impact_max(informant: Informant) -> int:
    """The teacher impact supplement has three items (0-6); the others five (0-10) [S121]."""
    return 6 if informant == Informant.TEACHER else 10


def validate_scales(scales: SdqScales, informant: Informant) -> None:
    """Raise ``ValidationError`` (keyed by scale) unless every score is in its range."""
    errors = _range_errors(scales, impact_top=impact_max(informant))
    if "impact" in errors:
        errors["impact"] += f" on the {Informant(informant).label.lower()} SDQ"
    if errors:
        raise ValidationError({scale: f"{message}." for scale, message in errors.items()})


def total_difficulties(scales: SdqScales) -> int:
    """Emotional + conduct + hyperactivity + peer, 0-40; prosocial is excluded [S117][S122]."""
    # Impact's range depends on the informant, and the total does not use it.
    errors = _range_errors(scales, impact_top=None)
    if errors:
        raise ValidationError({scale: f"{message}." for scale, message in errors.items()})
    return scales.emotional + scales.conduct + scales.hyperactivity + scales.peer


def _range_errors(scales: SdqScales, *, impact_top: int | None) -> dict[str, str]:
    errors = {}
    for field in fields(scales):
        value = getattr(scales, field.name)
        if field.name == "impact":
            if value is None or impact_top is None:
                continue
            top = impact_top
        else:
            top = SCALE_MAX
        # bool is an int in Python; True is not a score.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            errors[field.name] = f"{SCALE_NAMES[field.name]} must be a whole number from 0 to {top}"
    return errors


# --- Band tables (DOMAIN.md 5.3, age 4-17) ---------------------------------------------------


@dataclass(frozen=True)
class BandRow:
    """Inclusive score ranges for the four bands, in ``Band`` order, with where they came from.

    For prosocial the ranges run from close to average (high scores) down to very low.
    """

    close_to_average: tuple[int, int]
    slightly_raised: tuple[int, int]
    high: tuple[int, int]
    very_high: tuple[int, int]
    source: str
    caveat: str = ""

    def ranges(self) -> dict[Band, tuple[int, int]]:
        return {
            Band.CLOSE_TO_AVERAGE: self.close_to_average,
            Band.SLIGHTLY_RAISED: self.slightly_raised,
            Band.HIGH: self.high,
            Band.VERY_HIGH: self.very_high,
        }

    def band(self, score: int) -> Band:
        for band, (low, high) in self.ranges().items():
            if low <= score <= high:
                return band
        raise ValueError(f"{score} is outside every band of this row")


S124 = "[S124] PMC4830858 Table 1 (teacher four bands, from sdqinfo)"
S117 = "[S117] Youthinmind, Scoring the SDQ for age 4-17 (19 Aug 2014), as commonly reproduced"

# Teacher-completed: confirmed in a retrieved source [S124], except impact 3-6.
TEACHER_BANDS = {
    "total": BandRow((0, 11), (12, 15), (16, 18), (19, 40), source=S124),
    "emotional": BandRow((0, 3), (4, 4), (5, 5), (6, 10), source=S124),
    "conduct": BandRow((0, 2), (3, 3), (4, 4), (5, 10), source=S124),
    "hyperactivity": BandRow((0, 5), (6, 7), (8, 8), (9, 10), source=S124),
    "peer": BandRow((0, 2), (3, 4), (5, 5), (6, 10), source=S124),
    "prosocial": BandRow((6, 10), (5, 5), (4, 4), (0, 3), source=S124),
    "impact": BandRow(
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 6),
        source=S124,
        caveat="⚠ Very high 3-6 is not in the retrieved table; it is the rest of the 0-6 range.",
    ),
}

# Parent/carer-completed: ⚠ NOT confirmed in a retrieved source. These are the sdqinfo
# scoring sheet's values as commonly reproduced [S117]; verify before relying on them. The
# confirmed three-band parent cut-offs [S125] agree on the total (14-16 borderline, 17+ split
# into high and very high).
CARER_CAVEAT = "⚠ Four-band parent/carer values not confirmed in a retrieved source."
CARER_BANDS = {
    "total": BandRow((0, 13), (14, 16), (17, 19), (20, 40), source=S117, caveat=CARER_CAVEAT),
    "emotional": BandRow((0, 3), (4, 4), (5, 6), (7, 10), source=S117, caveat=CARER_CAVEAT),
    "conduct": BandRow((0, 2), (3, 3), (4, 5), (6, 10), source=S117, caveat=CARER_CAVEAT),
    "hyperactivity": BandRow((0, 5), (6, 7), (8, 8), (9, 10), source=S117, caveat=CARER_CAVEAT),
    "peer": BandRow((0, 2), (3, 3), (4, 4), (5, 10), source=S117, caveat=CARER_CAVEAT),
    "prosocial": BandRow((8, 10), (7, 7), (6, 6), (0, 5), source=S117, caveat=CARER_CAVEAT),
    "impact": BandRow((0, 0), (1, 1), (2, 2), (3, 10), source=S117, caveat=CARER_CAVEAT),
}

# No self-report (young person) table: DOMAIN.md gives none, and inventing cut-offs for a
# child's mental-health screening would be worse than showing none.
BAND_TABLES: dict[Informant, dict[str, BandRow]] = {
    Informant.TEACHER: TEACHER_BANDS,
    Informant.CARER: CARER_BANDS,
}


def sdq_bands(scales: SdqScales, informant: Informant) -> dict[str, Band]:
    """The band of the total, each scale and (when given) impact, keyed as in ``SCALE_NAMES``.

    Empty for a young person's self-report: ``SELF_REPORT_NOT_BANDED`` says why.
    """
    validate_scales(scales, informant)
    table = BAND_TABLES.get(Informant(informant))
    if table is None:
        return {}
    scores = {
        "total": total_difficulties(scales),
        **{field.name: getattr(scales, field.name) for field in fields(scales)},
    }
    return {scale: table[scale].band(score) for scale, score in scores.items() if score is not None}


class DfeBand(TextChoices):
    NORMAL = "normal", "Normal"
    BORDERLINE = "borderline", "Borderline cause for concern"
    CONCERN = "concern", "Cause for concern"


def dfe_lac_band(total: int) -> DfeBand:
    """DfE reporting band for a looked-after child's carer SDQ total difficulties score.

    LG Inform metric 2135, the DfE SDQ indicator [S126]: 0-13 normal, 14-16 borderline cause
    for concern, 17 or more cause for concern.
    """
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= TOTAL_MAX:
        raise ValidationError(
            f"Total difficulties must be a whole number from 0 to {TOTAL_MAX}.", code="range"
        )
    if total <= 13:
        return DfeBand.NORMAL
    if total <= 16:
        return DfeBand.BORDERLINE
    return DfeBand.CONCERN


def _check_tables() -> None:
    # Each row must cover its whole range with no gap or overlap, so no score falls outside a
    # band; checked at import so a typo in a table fails every test run.
    for informant, table in BAND_TABLES.items():
        for scale, row in table.items():
            top = (
                TOTAL_MAX
                if scale == "total"
                else impact_max(informant)
                if scale == "impact"
                else SCALE_MAX
            )
            covered = sorted(n for low, high in row.ranges().values() for n in range(low, high + 1))
            if covered != list(range(top + 1)):
                raise ValueError(f"SDQ {informant} {scale} bands do not cover 0-{top} exactly")


_check_tables()

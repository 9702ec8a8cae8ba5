"""SDQ scores and bands (DOMAIN.md 5.2-5.3).

The band tables are written out here again from DOMAIN.md 5.3, not imported from peps.sdq, so
a typo in the module's table fails a test instead of being copied into it.
"""

import pytest
from django.core.exceptions import ValidationError

from peps.sdq import (
    SELF_REPORT_NOT_BANDED,
    Band,
    DfeBand,
    Informant,
    SdqScales,
    dfe_lac_band,
    sdq_bands,
    total_difficulties,
    validate_scales,
)

BANDS = (Band.CLOSE_TO_AVERAGE, Band.SLIGHTLY_RAISED, Band.HIGH, Band.VERY_HIGH)

# DOMAIN.md 5.3, teacher-completed, four bands [S124] (impact 3-6 not in the retrieved table).
TEACHER_TABLE = {
    "total": ("0-11", "12-15", "16-18", "19-40"),
    "emotional": ("0-3", "4", "5", "6-10"),
    "conduct": ("0-2", "3", "4", "5-10"),
    "hyperactivity": ("0-5", "6-7", "8", "9-10"),
    "peer": ("0-2", "3-4", "5", "6-10"),
    "prosocial": ("6-10", "5", "4", "0-3"),
    "impact": ("0", "1", "2", "3-6"),
}

# DOMAIN.md 5.3, parent/carer-completed, four bands (not confirmed in a retrieved source).
CARER_TABLE = {
    "total": ("0-13", "14-16", "17-19", "20-40"),
    "emotional": ("0-3", "4", "5-6", "7-10"),
    "conduct": ("0-2", "3", "4-5", "6-10"),
    "hyperactivity": ("0-5", "6-7", "8", "9-10"),
    "peer": ("0-2", "3", "4", "5-10"),
    "prosocial": ("8-10", "7", "6", "0-5"),
    "impact": ("0", "1", "2", "3-10"),
}


def boundary_cases(informant, table):
    """(informant, scale, score, band) for the lowest and highest score of every band."""
    for scale, ranges in table.items():
        for band, text in zip(BANDS, ranges, strict=True):
            low, _, high = text.partition("-")
            for score in {int(low), int(high or low)}:
                yield pytest.param(informant, scale, score, band, id=f"{informant}-{scale}-{score}")


def scales_scoring(scale, score):
    """Scales where ``scale`` has ``score`` and every other difficulty and impact is 0."""
    values = {
        "emotional": 0,
        "conduct": 0,
        "hyperactivity": 0,
        "peer": 0,
        "prosocial": 10,
        "impact": 0,
    }
    if scale == "total":
        # Spread the total over the four difficulty scales, each at most 10.
        for name in ("emotional", "conduct", "hyperactivity", "peer"):
            values[name] = min(score, 10)
            score -= values[name]
    else:
        values[scale] = score
    return SdqScales(**values)


@pytest.mark.parametrize(
    ("informant", "scale", "score", "band"),
    [
        *boundary_cases(Informant.TEACHER, TEACHER_TABLE),
        *boundary_cases(Informant.CARER, CARER_TABLE),
    ],
)
def test_every_band_boundary_for_teacher_and_carer(informant, scale, score, band):
    assert sdq_bands(scales_scoring(scale, score), informant)[scale] == band


def test_bands_cover_total_each_scale_and_impact():
    bands = sdq_bands(SdqScales(4, 3, 6, 3, 5, 1), Informant.TEACHER)

    assert set(bands) == {
        "total",
        "emotional",
        "conduct",
        "hyperactivity",
        "peer",
        "prosocial",
        "impact",
    }


def test_same_scores_band_differently_for_teacher_and_carer():
    # Total 17: high for a teacher (16-18), high for a carer (17-19); emotional 6: very high
    # for a teacher, high for a carer.
    scales = SdqScales(emotional=6, conduct=3, hyperactivity=5, peer=3, prosocial=7, impact=3)

    teacher = sdq_bands(scales, Informant.TEACHER)
    carer = sdq_bands(scales, Informant.CARER)

    assert teacher["total"] == carer["total"] == Band.HIGH
    assert teacher["emotional"] == Band.VERY_HIGH
    assert carer["emotional"] == Band.HIGH
    assert teacher["prosocial"] == Band.CLOSE_TO_AVERAGE
    assert carer["prosocial"] == Band.SLIGHTLY_RAISED


def test_blank_impact_supplement_is_not_banded():
    bands = sdq_bands(SdqScales(1, 1, 1, 1, 9), Informant.CARER)

    assert "impact" not in bands
    assert bands["total"] == Band.CLOSE_TO_AVERAGE


def test_informant_may_be_given_as_its_stored_value():
    assert sdq_bands(SdqScales(6, 0, 0, 0, 10, 0), "teacher")["emotional"] == Band.VERY_HIGH


def test_self_report_is_not_banded_because_harbour_has_no_self_report_cut_offs():
    scales = SdqScales(emotional=9, conduct=9, hyperactivity=9, peer=9, prosocial=0, impact=10)

    assert sdq_bands(scales, Informant.YOUNG_PERSON) == {}
    assert SELF_REPORT_NOT_BANDED == "Not banded: no self-report cut-offs in Harbour's sources."


def test_self_report_scores_are_still_validated():
    with pytest.raises(ValidationError) as error:
        sdq_bands(SdqScales(0, 0, 0, 0, 0, impact=11), Informant.YOUNG_PERSON)

    assert set(error.value.message_dict) == {"impact"}


@pytest.mark.parametrize(
    ("band", "scale", "wording"),
    [
        (Band.CLOSE_TO_AVERAGE, "prosocial", "Close to average"),
        (Band.SLIGHTLY_RAISED, "prosocial", "Slightly lowered"),
        (Band.HIGH, "prosocial", "Low"),
        (Band.VERY_HIGH, "prosocial", "Very low"),
        (Band.SLIGHTLY_RAISED, "emotional", "Slightly raised"),
        (Band.HIGH, "total", "High"),
        (Band.VERY_HIGH, "impact", "Very high"),
    ],
)
def test_prosocial_bands_read_as_lowered_and_low(band, scale, wording):
    assert band.wording(scale) == wording


# --- Total difficulties ---------------------------------------------------------------------


def test_total_difficulties_adds_the_four_difficulty_scales_and_excludes_prosocial():
    scales = SdqScales(emotional=1, conduct=2, hyperactivity=3, peer=4, prosocial=10, impact=5)

    assert total_difficulties(scales) == 10


def test_total_difficulties_runs_from_0_to_40():
    assert total_difficulties(SdqScales(0, 0, 0, 0, 0)) == 0
    assert total_difficulties(SdqScales(10, 10, 10, 10, 0)) == 40


def test_total_difficulties_refuses_a_scale_out_of_range():
    with pytest.raises(ValidationError) as error:
        total_difficulties(SdqScales(emotional=11, conduct=0, hyperactivity=0, peer=0, prosocial=0))

    assert error.value.message_dict == {
        "emotional": ["Emotional symptoms must be a whole number from 0 to 10."]
    }


# --- Validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["emotional", "conduct", "hyperactivity", "peer", "prosocial"])
@pytest.mark.parametrize("informant", list(Informant))
@pytest.mark.parametrize("bad", [-1, 11, 2.5, "3", None, True])
def test_each_scale_must_be_a_whole_number_from_0_to_10(scale, informant, bad):
    values = {"emotional": 0, "conduct": 0, "hyperactivity": 0, "peer": 0, "prosocial": 0}
    values[scale] = bad

    with pytest.raises(ValidationError) as error:
        validate_scales(SdqScales(**values), informant)

    assert list(error.value.message_dict) == [scale]
    assert "from 0 to 10" in error.value.message_dict[scale][0]


@pytest.mark.parametrize("informant", list(Informant))
def test_each_scale_accepts_0_and_10(informant):
    validate_scales(SdqScales(0, 0, 0, 0, 0, 0), informant)
    validate_scales(SdqScales(10, 10, 10, 10, 10), informant)


def test_teacher_impact_runs_from_0_to_6():
    validate_scales(SdqScales(0, 0, 0, 0, 0, impact=6), Informant.TEACHER)

    with pytest.raises(ValidationError) as error:
        validate_scales(SdqScales(0, 0, 0, 0, 0, impact=7), Informant.TEACHER)

    assert error.value.message_dict == {
        "impact": ["Impact must be a whole number from 0 to 6 on the teacher SDQ."]
    }


@pytest.mark.parametrize("informant", [Informant.CARER, Informant.YOUNG_PERSON])
def test_carer_and_self_report_impact_runs_from_0_to_10(informant):
    validate_scales(SdqScales(0, 0, 0, 0, 0, impact=10), informant)

    with pytest.raises(ValidationError) as error:
        validate_scales(SdqScales(0, 0, 0, 0, 0, impact=11), informant)

    assert "from 0 to 10" in error.value.message_dict["impact"][0]


@pytest.mark.parametrize("informant", list(Informant))
def test_negative_impact_is_refused(informant):
    with pytest.raises(ValidationError):
        validate_scales(SdqScales(0, 0, 0, 0, 0, impact=-1), informant)


def test_every_bad_score_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        sdq_bands(SdqScales(11, 0, -1, 0, 12, impact=7), Informant.TEACHER)

    assert set(error.value.message_dict) == {"emotional", "hyperactivity", "prosocial", "impact"}


# --- DfE reporting band for looked-after children [S126] ------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, DfeBand.NORMAL),
        (13, DfeBand.NORMAL),
        (14, DfeBand.BORDERLINE),
        (16, DfeBand.BORDERLINE),
        (17, DfeBand.CONCERN),
        (40, DfeBand.CONCERN),
    ],
)
def test_dfe_band_for_looked_after_children(total, band):
    assert dfe_lac_band(total) == band


def test_dfe_bands_read_as_the_dfe_publishes_them():
    assert [band.label for band in DfeBand] == [
        "Normal",
        "Borderline cause for concern",
        "Cause for concern",
    ]


@pytest.mark.parametrize("total", [-1, 41, 13.5, None, True])
def test_dfe_band_refuses_a_total_outside_0_to_40(total):
    with pytest.raises(ValidationError):
        dfe_lac_band(total)

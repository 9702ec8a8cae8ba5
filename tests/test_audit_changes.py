"""One helper works out what an edit changed, for every service's audit entry
(``core.audit.changed_fields``): between an instance and the values it is asked to take, or
between a snapshot and the instance after the change."""

import datetime as dt

from core.audit import changed_fields, field_values
from pupils.models import Pupil

D = dt.date


def test_changed_fields_lists_only_what_differs_with_old_and_new():
    pupil = Pupil(legal_forename="Amelia", legal_surname="Hart", date_of_birth=D(2014, 3, 2))
    before = field_values(pupil, ["legal_forename", "legal_surname"])
    pupil.legal_surname = "Hart-Jones"
    assert changed_fields(before, pupil, ["legal_forename", "legal_surname"]) == {
        "legal_surname": ["Hart", "Hart-Jones"]
    }


def test_changed_fields_compares_an_instance_with_the_values_a_service_is_asked_to_set():
    pupil = Pupil(legal_forename="Amelia", legal_surname="Hart", date_of_birth=D(2014, 3, 2))
    asked = {"legal_forename": "Amelia", "date_of_birth": D(2014, 3, 3)}
    assert changed_fields(pupil, asked, asked) == {"date_of_birth": [D(2014, 3, 2), D(2014, 3, 3)]}
    # A form saved as it was changes nothing.
    assert changed_fields(pupil, {"legal_forename": "Amelia"}, ["legal_forename"]) == {}

"""Seed the Virtual School directory with the authorities named in Harbour's source documents.

Sources (in /work/shared/seeds/, see its README):
- 000_cebcd93c5f1c422b.txt, Bassingbourn Community Primary School policy (2024), "Cambridgeshire
  Virtual School Contact Details": cambslearntogether.co.uk, 01223 699 883,
  virtualschool@cambridgeshire.gov.uk.
- 002_4691d030c8050b82.txt, The Leys Primary & Nursery School policy (Hertfordshire model,
  Dec 2025), "The Hertfordshire Virtual School for Children Looked After": website
  www.hertfordshire.gov.uk/virtualschool, virtualschool@hertfordshire.gov.uk, 01992 556915.
- 004_0a8c156ddd795bf8.txt, Halton Virtual School briefing, "Virtual School Contacts": Joanne
  Lloyd, Early Years & Primary PEP Coordinator and Interim Virtual Head,
  Joanne.lloyd@halton.gov.uk (no general address, phone or website is given).

The DfE local authority codes are 873 (Cambridgeshire), 919 (Hertfordshire) and 876 (Halton).
update_or_create by code, so running it again changes nothing; reversing it leaves the rows,
which other records may point at by then.
"""

from django.db import migrations

VIRTUAL_SCHOOLS = [
    {
        "la_code": "873",
        "local_authority_name": "Cambridgeshire",
        "email": "virtualschool@cambridgeshire.gov.uk",
        "phone": "01223 699 883",
        "website": "https://www.cambslearntogether.co.uk",
        "contact_name": "",
    },
    {
        "la_code": "919",
        "local_authority_name": "Hertfordshire",
        "email": "virtualschool@hertfordshire.gov.uk",
        "phone": "01992 556915",
        "website": "https://www.hertfordshire.gov.uk/virtualschool",
        "contact_name": "",
    },
    {
        "la_code": "876",
        "local_authority_name": "Halton",
        "email": "Joanne.lloyd@halton.gov.uk",
        "phone": "",
        "website": "",
        "contact_name": "Joanne Lloyd",
    },
]


def seed(apps, schema_editor):
    VirtualSchool = apps.get_model("schools", "VirtualSchool")
    for entry in VIRTUAL_SCHOOLS:
        fields = dict(entry)
        VirtualSchool.objects.update_or_create(la_code=fields.pop("la_code"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

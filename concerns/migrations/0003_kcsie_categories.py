"""The categories of concern a school starts with: those of KCSIE 2024 Part one, with a line of
guidance each (shown beside the choice when a member of staff raises a concern)."""

from django.db import migrations

CATEGORIES = [
    ("physical_abuse", "Physical abuse",
     "Hitting, shaking, throwing, burning, suffocating or otherwise causing physical harm. "
     "Record injuries on the body map: where, size, colour, and what the child said."),
    ("emotional_abuse", "Emotional abuse",
     "Persistent emotional ill-treatment: making a child feel worthless, unloved or frightened, "
     "or seeing or hearing the ill-treatment of another."),
    ("sexual_abuse", "Sexual abuse",
     "Forcing or enticing a child to take part in sexual activities, with or without contact, "
     "including online. Do not examine the child or ask leading questions."),
    ("neglect", "Neglect",
     "Persistent failure to meet a child's basic physical or psychological needs: food, "
     "clothing, shelter, supervision, medical care."),
    ("child_on_child", "Child-on-child abuse",
     "Bullying, physical or sexual violence or harassment, sharing of nude images, initiation "
     "violence, between children. Never dismiss it as banter."),
    ("online_safety", "Online safety",
     "Harmful content, contact or conduct online, or commercial exploitation (content, contact, "
     "conduct, commerce)."),
    ("exploitation", "Child sexual or criminal exploitation",
     "A child coerced, manipulated or deceived into sexual or criminal activity, including "
     "county lines. Unexplained gifts, money or going missing may be signs."),
    ("domestic_abuse", "Domestic abuse",
     "Abuse between people in a family or relationship that the child sees, hears or "
     "experiences the effects of. The child is a victim in their own right."),
    ("fgm", "Female genital mutilation (FGM)",
     "Teachers must report a known case of FGM in a girl under 18 to the police themselves "
     "(the mandatory reporting duty), as well as telling the DSL."),
    ("radicalisation", "Radicalisation",
     "A child being drawn into support for terrorism or extremist ideology (the Prevent duty)."),
    ("mental_health", "Mental health",
     "A mental health concern that is also a safeguarding concern, including self-harm."),
    ("attendance", "Attendance",
     "Unexplained or persistent absence, or a child missing education, which can be a sign of "
     "abuse, neglect or exploitation."),
    ("other", "Other", "Anything else that worries you about a child's safety or welfare."),
]


def seed(apps, schema_editor):
    Category = apps.get_model("concerns", "Category")
    for position, (key, name, guidance) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            key=key, defaults={"name": name, "guidance": guidance, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("concerns", "0002_concern_records_refuse_update_and_delete")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

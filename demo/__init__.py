"""The demo school: term dates, staff logins and each app's demo data, loaded by ``make run``.

The top of the layers: it may import every app, and nothing imports it."""

"""Views gathered before a PEP meeting from people who are not Harbour users: the child, their
carer or parent, their social worker and their Virtual School adviser, each through a
secure link (issue 15).

The pieces, one module each:

* ``questions``: what each person may be asked, and which part of the PEP each answer feeds.
* ``models``: a request for views (the link), and the answers that come back as proposals.
* ``secrets``: the link's token and the six-digit code; only their SHA-256 hashes are stored.
  Both are minted by the outbox worker as it sends the email (``notifications.services``
  send-time secrets), so no page, admin screen or database row holds a working one.
* ``services``: asking, revoking, opening a link, sending and checking the code, answering,
  accepting or setting aside an answer, and the daily chasing sweep (``reminders``).
* ``views`` (the designated teacher's pages) and ``public_views`` (the contributor's pages,
  outside login: they show the child's first name and the questions, nothing else).

The rules are Harbour's own product decisions, not statute: a link works for 15 school days
from the day it is asked for and never once the PEP is completed; the code is valid for 30
minutes; five wrong codes, or more than five codes sent, lock the link.
"""

"""Signals the registry sends, so that later layers can act without the registry importing them."""

from django.dispatch import Signal

# Sent once a roster import has been committed (outside its transaction), with ``batch``, ``user`` and
# ``channel``. A receiver returns a list of (Indonesian, English) notes to show with the import's outcome
# (coverage.prompts enrols the imported people under the agreements in force, decision 0020).
roster_committed = Signal()

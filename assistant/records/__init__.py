"""The operator's system of record: customers, lines, plans, bills, usage, consent, audit.

Public entry points: ``records.api.Records`` (the facade every caller uses),
``records.db.make_engine`` / ``records.db.migrate``, ``records.seed.seed`` / ``is_seeded``,
and the views in ``records.views``. Nothing here knows about LLMs; importing does no work.
"""

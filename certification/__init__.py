"""Certification: competency frameworks, the competency ledger, rules, eligibility, certificates.

How other apps use it (they sit above it and call these; certification never imports them):

- courses, after releasing a result: ``services.record_acquisition(person=…, block=… or
  competency=…, source=LedgerEntry.Source.TRAINING_RESULT, source_reference="courses.Result:42",
  dedupe_key="courses.Result:42:B3")`` and ``services.record_hours(..., hours_kind="training" |
  "ethics" | "internship" (needs ``signed_off_by``) | "supervision" | "continuing_education")``;
  attendance: ``services.record_attendance_rate(person=…, certification=…, rate=0–100)`` (the
  newest figure replaces the previous one); then ``services.issue_where_eligible(person=…)``.
- vae, after a jury decision: the same calls with ``source=LedgerEntry.Source.VAE_DECISION``.
- verification (issue 6): ``codes.normalise_code`` / ``codes.is_well_formed`` (no DB access),
  ``Certificate.code``, ``status``, ``revoked_at``, ``revocation_reason``, ``pdf_sha256``.

Rules of the game:

- The ledger is append-only (``LedgerEntry.save`` refuses updates; no update or delete on its
  queryset). Corrections and withdrawals are new entries that supersede (``supersede_entry``).
- Framework versions match by code within a lineage: what was acquired under v1 counts for the
  block of the same code in the version in force; codes that disappeared stay listed.
- Total training hours = training + ethics hours; renewal counts continuing-education + ethics
  hours done since the certificate was issued.
- A certificate is issued once per (holder, certification, cycle); its text never changes
  (``Certificate.save`` refuses it); its PDF is rendered once and always streamed as stored.
"""

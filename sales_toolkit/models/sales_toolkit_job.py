import logging
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# conflicts with another transaction: no record is to blame, the run is retried as a whole
CONCURRENCY_ERRORS = (errors.LockNotAvailable, errors.SerializationFailure, errors.DeadlockDetected)


class SalesToolkitJob(models.AbstractModel):
    """What the module's scheduled jobs share: one bad record does not stop a job.

    Odoo switches a scheduled action off after repeated failures, so a record that makes
    a job raise would stop it for every company, every night.
    """

    _name = "sales_toolkit.job"
    _description = "Sales Toolkit Scheduled Job"

    @api.model
    def _run_batches(self, records, process, job_xmlid, batch_size, note_on=None):
        """Run a scheduled job's ``process`` over ``records``, ``batch_size`` at a time.

        Each batch runs through ``_run_isolated`` (a record it fails on is skipped) and is
        committed with the job's progress (``ir.cron._commit_progress``): a run killed
        halfway keeps what it did, and the cron worker shows what is left.

        :return: False when the cron must stop (its time is up), True once every batch ran
        """
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(records))
        for start in range(0, len(records), batch_size):
            batch = records[start : start + batch_size]
            failed = self._run_isolated(batch, process, job_xmlid, note_on)
            remaining = len(records) - start - len(batch)
            if not cron._commit_progress(len(batch) - len(failed), remaining=remaining):
                return False
        return True

    @api.model
    def _run_isolated(self, records, process, job, note_on=None):
        """Run ``process(records)`` so that a record it fails on is skipped, not the batch.

        The batch runs in one savepoint, so the fast path (one query for the whole batch)
        stays. When it raises, it is rolled back and ``process`` runs again for each record
        in its own savepoint: a record that still fails is rolled back, logged in the
        server log with its model and id, and noted for its owner in the chatter of
        ``note_on(record)`` (the record itself by default).

        :param job: the external id of the scheduled action, named in the log and the note
        :return: the records that failed; the caller leaves them out of its next batches
        """
        try:
            with self.env.cr.savepoint():
                process(records)
            return records.browse()
        except CONCURRENCY_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the error, find the record to blame
            if len(records) == 1:
                self._skip_record(records, exc, job, note_on)
                return records
            _logger.warning(
                "Job %s: a batch of %s %s records failed (%s); running it record by record",
                job,
                len(records),
                records._name,
                exc,
            )
        failed = records.browse()
        for record in records:
            try:
                with self.env.cr.savepoint():
                    process(record)
            except CONCURRENCY_ERRORS:
                raise
            except Exception as exc:  # noqa: BLE001 - logged, noted and skipped
                self._skip_record(record, exc, job, note_on)
                failed |= record
        return failed

    @api.model
    def _skip_record(self, record, error, job, note_on):
        _logger.error(
            "Job %s: %s record %s failed and was skipped", job, record._name, record.id, exc_info=error
        )
        thread = note_on(record) if note_on else record
        if thread and hasattr(thread, "message_post"):
            self._note_failure(record, thread, job, error)

    @api.model
    def _record_owner(self, thread):
        """Whom a record belongs to: its owner, else its salesperson or responsible."""
        for fname in ("owner_id", "user_id"):
            field = thread._fields.get(fname)
            if field and field.type == "many2one" and field.comodel_name == "res.users":
                return thread[fname]
        return self.env["res.users"]

    @api.model
    def _note_failure(self, record, thread, job, error):
        """A note in ``thread``'s chatter for its owner, at most once a day for the same failure."""
        owner = self._record_owner(thread)
        env = self.with_context(lang=owner.lang or self.env.lang).env
        cron = env.ref(job, raise_if_not_found=False)
        body = Markup("<p>%s</p>") % env._(
            "The scheduled job “%(job)s” could not process %(record)s and skipped it: %(error)s. "
            "Correct it; the next run takes it again.",
            job=cron.name if cron else job,
            record=record.display_name if record != thread else env._("this record"),
            # the error's first line, without its full stop: the sentence goes on
            error=(str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".。 "),
        )
        try:
            with self.env.cr.savepoint():
                noted = (
                    self.env["mail.message"]
                    .sudo()
                    .search_count(
                        [
                            ("model", "=", thread._name),
                            ("res_id", "=", thread.id),
                            ("date", ">=", fields.Datetime.now() - timedelta(days=1)),
                            ("body", "=", body),
                        ],
                        limit=1,
                    )
                )
                if not noted:
                    thread.sudo().message_post(
                        body=body, subtype_xmlid="mail.mt_note", partner_ids=owner.partner_id.ids
                    )
        except Exception:  # noqa: BLE001 - the note is a courtesy: the server log has the error
            _logger.exception("Job %s: could not note the failure on %s %s", job, thread._name, thread.id)

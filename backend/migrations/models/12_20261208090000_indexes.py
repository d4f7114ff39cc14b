"""Indexes for national scale (issue 15): one on every foreign key (deleting or joining a parent row must not
read a whole child table), and those the hot queries use: an agency's queue by status and due date, its
settled dossiers by settle time, a citizen's dossiers newest first, each dossier's timeline, documents,
payments, supplements and results, and the notification outbox's pending and sent rows (partial indexes,
replacing the one on its state). The same SQL on SQLite and
PostgreSQL. The models declare the same indexes by name (``Meta.indexes``); tests/integration/test_indexes.py
checks both agree. No MODELS_STATE: aerich then records the models as they are when it applies this migration.

On a large existing PostgreSQL database, build these first with ``CREATE INDEX CONCURRENTLY`` under the same
names: ``IF NOT EXISTS`` then skips them here instead of locking the tables while they build."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

# (name, table, columns, condition)
INDEXES = [
    ("idx_agency_parent", "agency", ("parent_id",), ""),
    ("idx_procedure_agency", "procedure", ("agency_id",), ""),
    ("idx_user_account_agency", "user_account", ("agency_id",), ""),
    ("idx_dossier_queue", "dossier", ("agency_id", "status", "due_date"), ""),
    ("idx_dossier_settled", "dossier", ("agency_id", "settled_at"), ""),
    ("idx_dossier_applicant", "dossier", ("applicant_id", "updated_at"), ""),
    ("idx_dossier_procedure", "dossier", ("procedure_id",), ""),
    ("idx_dossier_document_dossier", "dossier_document", ("dossier_id",), ""),
    ("idx_supplement_dossier", "supplement_request", ("dossier_id",), ""),
    ("idx_supplement_created_by", "supplement_request", ("created_by_id",), ""),
    ("idx_timeline_dossier", "timeline_event", ("dossier_id", "created_at"), ""),
    ("idx_timeline_actor", "timeline_event", ("actor_id",), ""),
    ("idx_outbox_dossier", "notification_outbox", ("dossier_id",), ""),
    ("idx_outbox_recipient", "notification_outbox", ("recipient_id",), ""),
    # The worker's claim (pending, by id) and the purge of old sent messages (sent, by sent_at) each read a
    # small ordered index instead of the whole-table index on state, which they replace.
    ("idx_outbox_pending", "notification_outbox", ("id",), "\"state\" = 'pending'"),
    ("idx_outbox_sent", "notification_outbox", ("sent_at",), "\"state\" = 'sent'"),
    ("idx_passkey_user", "passkey", ("user_id",), ""),
    ("idx_sign_in_event_user", "sign_in_event", ("user_id",), ""),
    ("idx_verification_user", "verification_attempt", ("user_id",), ""),
    ("idx_prefill_consent_user", "prefill_consent", ("user_id",), ""),
    ("idx_prefill_consent_dossier", "prefill_consent", ("dossier_id",), ""),
    ("idx_push_subscription_user", "push_subscription", ("user_id",), ""),
    ("idx_result_dossier", "result", ("dossier_id",), ""),
    ("idx_result_agency", "result", ("agency_id",), ""),
    ("idx_result_issued_by", "result", ("issued_by_id",), ""),
    ("idx_result_revoked_by", "result", ("revoked_by_id",), ""),
    ("idx_result_failure_dossier", "result_failure", ("dossier_id",), ""),
    ("idx_payment_dossier", "payment", ("dossier_id",), ""),
    ("idx_payment_payer", "payment", ("payer_id",), ""),
    ("idx_payment_settled_by", "payment", ("settled_by_id",), ""),
    ("idx_payment_refunded_by", "payment", ("refunded_by_id",), ""),
    ("idx_payment_receipt_dossier", "payment_receipt", ("dossier_id",), ""),
    ("idx_delivery_event_booking", "delivery_event", ("booking_id",), ""),
]


def _create(name: str, table: str, columns: tuple[str, ...], condition: str) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    where = f" WHERE {condition}" if condition else ""
    return f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({cols}){where};'


STATE_INDEX = _create("idx_notificatio_state_2144dd", "notification_outbox", ("state",), "")
UP = "\n".join([*(_create(*index) for index in INDEXES), 'DROP INDEX IF EXISTS "idx_notificatio_state_2144dd";'])
DOWN = "\n".join([*(f'DROP INDEX IF EXISTS "{name}";' for name, *_ in INDEXES), STATE_INDEX])


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWN

"""Initial schema of the system of record, plus append-only triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "addons",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("data_gb", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("zone", sa.String(length=4), nullable=True),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addons")),
    )
    op.create_index(op.f("ix_addons_country"), "addons", ["country"], unique=False)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_customer", "audit_events", ["customer_id", "id"], unique=False)
    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("segment", sa.String(length=10), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.CheckConstraint("country IN ('GB', 'ES', 'KE')", name=op.f("ck_customers_country")),
        sa.CheckConstraint("language IN ('en', 'es')", name=op.f("ck_customers_language")),
        sa.CheckConstraint(
            "segment IN ('consumer', 'business')", name=op.f("ck_customers_segment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("email", name=op.f("uq_customers_email")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("segment", sa.String(length=10), nullable=False),
        sa.Column("billing", sa.String(length=10), nullable=False),
        sa.Column("monthly_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("data_gb", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("sms", sa.Integer(), nullable=True),
        sa.Column("roaming_zones", sa.JSON(), nullable=False),
        sa.Column("five_g", sa.Boolean(), nullable=False),
        sa.Column("contract_months", sa.Integer(), nullable=False),
        sa.Column("early_termination_percent", sa.Integer(), nullable=False),
        sa.Column("on_sale_from", sa.Date(), nullable=False),
        sa.Column("on_sale_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(op.f("ix_plans_country"), "plans", ["country"], unique=False)
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("billing_type", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint(
            "billing_type IN ('postpaid', 'prepaid')", name=op.f("ck_accounts_billing_type")
        ),
        sa.CheckConstraint("status IN ('active', 'suspended')", name=op.f("ck_accounts_status")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_accounts_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    op.create_index(op.f("ix_accounts_customer_id"), "accounts", ["customer_id"], unique=False)
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("notice_version", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "action IN ('granted', 'withdrawn')", name=op.f("ck_consent_records_action")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_consent_records_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    op.create_index(
        "ix_consent_records_customer_purpose",
        "consent_records",
        ["customer_id", "purpose", "id"],
        unique=False,
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=True),
        sa.Column("customer_id", sa.String(length=16), nullable=True),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_tickets_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("reference", name=op.f("uq_tickets_reference")),
    )
    op.create_index(op.f("ix_tickets_customer_id"), "tickets", ["customer_id"], unique=False)
    op.create_table(
        "bills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("tax", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("amount_paid", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("status IN ('issued', 'paid', 'overdue')", name=op.f("ck_bills_status")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_bills_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bills")),
        sa.UniqueConstraint("account_id", "period", name=op.f("uq_bills_account_id")),
    )
    op.create_table(
        "lines",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.String(length=16), nullable=False),
        sa.Column("msisdn", sa.String(length=16), nullable=False),
        sa.Column("iccid", sa.String(length=22), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("suspension_reason", sa.String(length=60), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('active', 'suspended')", name=op.f("ck_lines_status")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_lines_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lines")),
        sa.UniqueConstraint("iccid", name=op.f("uq_lines_iccid")),
        sa.UniqueConstraint("msisdn", name=op.f("uq_lines_msisdn")),
    )
    op.create_index(op.f("ix_lines_account_id"), "lines", ["account_id"], unique=False)
    op.create_table(
        "addon_purchases",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("line_id", sa.String(length=16), nullable=False),
        sa.Column("addon_id", sa.String(length=32), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=True),
        sa.Column("valid_to", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("idempotency_key", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "status IN ('quoted', 'applied', 'cancelled', 'expired')",
            name=op.f("ck_addon_purchases_status"),
        ),
        sa.ForeignKeyConstraint(
            ["addon_id"], ["addons.id"], name=op.f("fk_addon_purchases_addon_id_addons")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_addon_purchases_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["lines.id"], name=op.f("fk_addon_purchases_line_id_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addon_purchases")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_addon_purchases_idempotency_key")),
        sa.UniqueConstraint("reference", name=op.f("uq_addon_purchases_reference")),
    )
    op.create_index(
        op.f("ix_addon_purchases_customer_id"), "addon_purchases", ["customer_id"], unique=False
    )
    op.create_index(
        op.f("ix_addon_purchases_line_id"), "addon_purchases", ["line_id"], unique=False
    )
    op.create_table(
        "bill_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.String(length=16), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=160), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint(
            "category IN ('plan_fee', 'addon', 'roaming', 'out_of_bundle', "
            "'device_instalment', 'cloud_services', 'tax', 'discount', 'credit')",
            name=op.f("ck_bill_items_category"),
        ),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["bills.id"], name=op.f("fk_bill_items_bill_id_bills")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["lines.id"], name=op.f("fk_bill_items_line_id_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_items")),
    )
    op.create_index(op.f("ix_bill_items_bill_id"), "bill_items", ["bill_id"], unique=False)
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"], name=op.f("fk_payments_bill_id_bills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(op.f("ix_payments_bill_id"), "payments", ["bill_id"], unique=False)
    op.create_table(
        "plan_change_requests",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=16), nullable=False),
        sa.Column("line_id", sa.String(length=16), nullable=False),
        sa.Column("line_version", sa.Integer(), nullable=False),
        sa.Column("from_plan_id", sa.String(length=32), nullable=False),
        sa.Column("to_plan_id", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("new_monthly_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("proration", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("fees", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("idempotency_key", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('quoted', 'applied', 'cancelled', 'expired')",
            name=op.f("ck_plan_change_requests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_plan_change_requests_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["from_plan_id"], ["plans.id"], name=op.f("fk_plan_change_requests_from_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["lines.id"], name=op.f("fk_plan_change_requests_line_id_lines")
        ),
        sa.ForeignKeyConstraint(
            ["to_plan_id"], ["plans.id"], name=op.f("fk_plan_change_requests_to_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_change_requests")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_plan_change_requests_idempotency_key")
        ),
        sa.UniqueConstraint("reference", name=op.f("uq_plan_change_requests_reference")),
    )
    op.create_index(
        op.f("ix_plan_change_requests_customer_id"),
        "plan_change_requests",
        ["customer_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_plan_change_requests_line_id"), "plan_change_requests", ["line_id"], unique=False
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.String(length=16), nullable=False),
        sa.Column("plan_id", sa.String(length=32), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("change_request_id", sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(
            ["line_id"], ["lines.id"], name=op.f("fk_subscriptions_line_id_lines")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_subscriptions_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
    )
    op.create_index(
        "ix_subscriptions_line_start", "subscriptions", ["line_id", "start_date"], unique=False
    )
    op.create_table(
        "usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.String(length=16), nullable=False),
        sa.Column("cycle", sa.String(length=7), nullable=False),
        sa.Column("data_mb", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("sms", sa.Integer(), nullable=False),
        sa.Column("roaming_eu_mb", sa.Integer(), nullable=False),
        sa.Column("roaming_ea_mb", sa.Integer(), nullable=False),
        sa.Column("roaming_z1_mb", sa.Integer(), nullable=False),
        sa.Column("roaming_z2_mb", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["line_id"], ["lines.id"], name=op.f("fk_usage_line_id_lines")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage")),
        sa.UniqueConstraint("line_id", "cycle", name=op.f("uq_usage_line_id")),
    )
    _create_append_only_triggers()


#: Tables whose rows may only be inserted (consent ledger, audit log).
APPEND_ONLY = ("consent_records", "audit_events")


def _create_append_only_triggers() -> None:
    """Refuse UPDATE and DELETE at the database, whichever client tries."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION refuse_append_only_change() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()"
            )
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS refuse_append_only_change()")
        return
    for table in APPEND_ONLY:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def downgrade() -> None:
    _drop_append_only_triggers()
    op.drop_table("usage")
    op.drop_index("ix_subscriptions_line_start", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_index(op.f("ix_plan_change_requests_line_id"), table_name="plan_change_requests")
    op.drop_index(op.f("ix_plan_change_requests_customer_id"), table_name="plan_change_requests")
    op.drop_table("plan_change_requests")
    op.drop_index(op.f("ix_payments_bill_id"), table_name="payments")
    op.drop_table("payments")
    op.drop_index(op.f("ix_bill_items_bill_id"), table_name="bill_items")
    op.drop_table("bill_items")
    op.drop_index(op.f("ix_addon_purchases_line_id"), table_name="addon_purchases")
    op.drop_index(op.f("ix_addon_purchases_customer_id"), table_name="addon_purchases")
    op.drop_table("addon_purchases")
    op.drop_index(op.f("ix_lines_account_id"), table_name="lines")
    op.drop_table("lines")
    op.drop_table("bills")
    op.drop_index(op.f("ix_tickets_customer_id"), table_name="tickets")
    op.drop_table("tickets")
    op.drop_index("ix_consent_records_customer_purpose", table_name="consent_records")
    op.drop_table("consent_records")
    op.drop_index(op.f("ix_accounts_customer_id"), table_name="accounts")
    op.drop_table("accounts")
    op.drop_index(op.f("ix_plans_country"), table_name="plans")
    op.drop_table("plans")
    op.drop_table("customers")
    op.drop_index("ix_audit_events_customer", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_addons_country"), table_name="addons")
    op.drop_table("addons")

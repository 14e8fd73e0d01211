"""Current-cycle usage of each line against its plan and data add-ons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.records import money
from assistant.records.models import Addon, AddonPurchase, Usage
from assistant.records.services import lookups
from assistant.records.views import LineUsage

MB_PER_GB = 1024


def current_usage(session: Session, customer_id: str, now: datetime) -> list[LineUsage]:
    """One entry per line (primary first) for the cycle containing ``now``."""
    today = now.date()
    cycle = money.period_of(today)
    cycle_ends = date.fromordinal(money.next_month_start(today).toordinal() - 1)
    acct = lookups.account(session, customer_id)
    result = []
    for line in lookups.primary_first(lookups.lines(session, acct.id)):
        plan = lookups.plan(session, lookups.current_subscription(session, line.id, today).plan_id)
        used = session.scalars(
            select(Usage).where(Usage.line_id == line.id, Usage.cycle == cycle)
        ).first()
        extra = _data_addons(session, line.id, now)
        allowance = None if plan.data_gb is None else int((plan.data_gb + extra) * MB_PER_GB)
        data_mb = used.data_mb if used else 0
        result.append(
            LineUsage(
                line_id=line.id,
                msisdn_masked=money.mask_msisdn(line.msisdn),
                cycle=cycle,
                cycle_ends=cycle_ends,
                plan_id=plan.id,
                data_used_mb=data_mb,
                data_allowance_mb=allowance,
                data_used_percent=round(100 * data_mb / allowance) if allowance else None,
                minutes_used=used.minutes if used else 0,
                minutes_allowance=plan.minutes,
                sms_used=used.sms if used else 0,
                sms_allowance=plan.sms,
                roaming_mb={
                    "EU": used.roaming_eu_mb if used else 0,
                    "EA": used.roaming_ea_mb if used else 0,
                    "Z1": used.roaming_z1_mb if used else 0,
                    "Z2": used.roaming_z2_mb if used else 0,
                },
                roaming_included_zones=list(plan.roaming_zones),
            )
        )
    return result


def _data_addons(session: Session, line_id: str, now: datetime) -> Decimal:
    """Extra GB from domestic data add-ons still valid on ``now``."""
    amounts = session.scalars(
        select(Addon.data_gb)
        .join(AddonPurchase, AddonPurchase.addon_id == Addon.id)
        .where(
            AddonPurchase.line_id == line_id,
            AddonPurchase.status == "applied",
            AddonPurchase.valid_to > now,
            Addon.data_gb.is_not(None),
            Addon.zone.is_(None),
        )
    )
    return sum((a for a in amounts if a is not None), Decimal(0))

"""Every write of the canteen app (re-exported here: `from canteen import services`)."""

from logistics.workflow import WorkflowError

from canteen.services.records import (
    Replay,
    accompanied_meal_answer,
    additive_record,
    accompanied_meal_record,
    check_day,
    checklist_for,
    current_version,
    daily_check_record,
    delivery_record,
    disinfection_record,
    morning_check_record,
    out_of_range,
    rapid_test_record,
    retain_until,
    sample_destroy,
    sample_record,
)
from canteen.services.reminders import reminders_send
from canteen.services.setup import event_record, menu_dish_add, review_sign, supplier_drop

__all__ = [
    "Replay", "WorkflowError", "accompanied_meal_answer", "additive_record", "accompanied_meal_record", "check_day", "checklist_for", "current_version",
    "daily_check_record", "delivery_record", "disinfection_record", "event_record", "morning_check_record", "out_of_range",
    "menu_dish_add", "rapid_test_record", "reminders_send", "review_sign", "retain_until", "sample_destroy", "sample_record", "supplier_drop",
]

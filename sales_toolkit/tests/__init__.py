from . import (
    test_care_plan,
    test_customer_tier,
    test_followup,
    test_need_match,
    test_prospect_capture,
    test_reports,
    test_security,
    test_strategy,
    test_target,
    test_translations,
    test_ui,
    test_views,
)

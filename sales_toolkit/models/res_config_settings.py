from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    toolkit_intent_high_days = fields.Integer(related="company_id.toolkit_intent_high_days", readonly=False)
    toolkit_intent_medium_days = fields.Integer(
        related="company_id.toolkit_intent_medium_days", readonly=False
    )
    toolkit_match_mode = fields.Selection(related="company_id.toolkit_match_mode", readonly=False)
    toolkit_match_high_score = fields.Integer(related="company_id.toolkit_match_high_score", readonly=False)
    toolkit_match_medium_score = fields.Integer(
        related="company_id.toolkit_match_medium_score", readonly=False
    )
    toolkit_match_high_ratio = fields.Float(related="company_id.toolkit_match_high_ratio", readonly=False)
    toolkit_match_medium_ratio = fields.Float(related="company_id.toolkit_match_medium_ratio", readonly=False)
    toolkit_power_high_ratio = fields.Float(related="company_id.toolkit_power_high_ratio", readonly=False)
    toolkit_power_medium_ratio = fields.Float(related="company_id.toolkit_power_medium_ratio", readonly=False)
    toolkit_match_review_months = fields.Integer(
        related="company_id.toolkit_match_review_months", readonly=False
    )
    toolkit_cadence_high_days = fields.Integer(related="company_id.toolkit_cadence_high_days", readonly=False)
    toolkit_cadence_medium_days = fields.Integer(
        related="company_id.toolkit_cadence_medium_days", readonly=False
    )
    toolkit_cadence_low_days = fields.Integer(related="company_id.toolkit_cadence_low_days", readonly=False)
    toolkit_stale_followups = fields.Integer(related="company_id.toolkit_stale_followups", readonly=False)
    toolkit_tier_vip_amount = fields.Monetary(related="company_id.toolkit_tier_vip_amount", readonly=False)
    toolkit_tier_key_amount = fields.Monetary(related="company_id.toolkit_tier_key_amount", readonly=False)
    toolkit_tier_basis = fields.Selection(related="company_id.toolkit_tier_basis", readonly=False)
    toolkit_target_revenue_basis = fields.Selection(
        related="company_id.toolkit_target_revenue_basis", readonly=False
    )
    toolkit_target_on_track_rate = fields.Float(
        related="company_id.toolkit_target_on_track_rate", readonly=False
    )
    toolkit_target_at_risk_rate = fields.Float(
        related="company_id.toolkit_target_at_risk_rate", readonly=False
    )
    toolkit_task_excellent_rate = fields.Float(
        related="company_id.toolkit_task_excellent_rate", readonly=False
    )
    toolkit_task_good_rate = fields.Float(related="company_id.toolkit_task_good_rate", readonly=False)
    toolkit_task_pass_rate = fields.Float(related="company_id.toolkit_task_pass_rate", readonly=False)
    toolkit_target_review_day = fields.Integer(related="company_id.toolkit_target_review_day", readonly=False)
    toolkit_training_result_days = fields.Integer(
        related="company_id.toolkit_training_result_days", readonly=False
    )
    toolkit_training_behaviour_weeks = fields.Integer(
        related="company_id.toolkit_training_behaviour_weeks", readonly=False
    )
    toolkit_training_pass_mark = fields.Float(related="company_id.toolkit_training_pass_mark", readonly=False)
    toolkit_analysis_low_rate = fields.Float(related="company_id.toolkit_analysis_low_rate", readonly=False)
    toolkit_analysis_high_rate = fields.Float(related="company_id.toolkit_analysis_high_rate", readonly=False)

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import CUSTOMER_TIERS
from .sales_toolkit_field_rights import MANAGERS


class SalesToolkitTierPolicy(models.Model):
    _name = "sales_toolkit.tier.policy"
    _description = "Customer Tier Policy"
    _inherit = ["sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _order = "company_id, sequence, id"

    tier = fields.Selection(CUSTOMER_TIERS, required=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", help="Leave empty for the default of every company; a company's own policy wins."
    )
    owner_role = fields.Selection(
        [("manager", "Sales manager"), ("senior", "Senior rep"), ("junior", "Junior rep")],
        help="Who owns the relationship with customers of this tier.",
    )
    repurchase_goal = fields.Float(string="Repurchase Rate Goal (%)")
    satisfaction_goal = fields.Float(string="Satisfaction Goal (of 100)")
    referral_goal = fields.Integer(string="Referrals a Year")
    response_hours = fields.Float(
        string="Respond Within (hours)", help="Service level for customer issues; 0 means no commitment."
    )
    resolution_hours = fields.Float(
        string="Resolve Within (hours)", help="Service level for customer issues; 0 means no commitment."
    )

    _tier_company_uniq = models.UniqueIndex(
        "(tier, COALESCE(company_id, 0))", "Each tier has one policy per company."
    )

    @api.constrains(
        "repurchase_goal", "satisfaction_goal", "referral_goal", "response_hours", "resolution_hours"
    )
    def _check_goals(self):
        for policy in self:
            self._check_goal_values(
                policy.repurchase_goal,
                policy.satisfaction_goal,
                policy.referral_goal,
                policy.response_hours,
                policy.resolution_hours,
            )
            if max(policy.response_hours, policy.resolution_hours) > 8760:
                raise ValidationError(self.env._("Service levels can be at most 8760 hours (a year)."))

    @api.model
    def _check_goal_values(self, repurchase_goal, satisfaction_goal, *counts):
        """Goals in %, or out of 100, and counts or hours that cannot be negative."""
        if not (0 <= repurchase_goal <= 100 and 0 <= satisfaction_goal <= 100):
            raise ValidationError(self.env._("Repurchase rate and satisfaction goals are between 0 and 100."))
        if counts and min(counts) < 0:
            raise ValidationError(self.env._("Referral goals and service levels cannot be negative."))

    @api.depends("tier", "company_id")
    def _compute_display_name(self):
        labels = dict(CUSTOMER_TIERS)
        for policy in self:
            name = labels.get(policy.tier, "")
            policy.display_name = f"{name} ({policy.company_id.name})" if policy.company_id else name

    @api.model
    def _policy_for(self, tier, company):
        """The policy of ``tier`` for ``company``: its own if it has one, else the shared one."""
        policies = self.sudo().search([("tier", "=", tier), ("company_id", "in", [company.id, False])])
        return policies.filtered("company_id")[:1] or policies[:1]

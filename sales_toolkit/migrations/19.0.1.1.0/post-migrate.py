from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Reps delete only the follow-ups they logged themselves.

    The record rules are noupdate: an upgrade creates the new delete rule but keeps the
    delete right of the old rule, which would still let reps delete any log of their leads.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("sales_toolkit.sales_toolkit_followup_rule_personal", raise_if_not_found=False)
    if rule:
        rule.perm_unlink = False

from collections import defaultdict

from odoo import api, models
from odoo.tools import float_is_zero

from .sales_toolkit_kpi import ADDITIVE_KPIS
from .sales_toolkit_target import DIMENSION_FIELDS


class SalesToolkitTargetDecomposition(models.AbstractModel):
    """The handbook's decomposition check: do the sub-targets add up to their target?

    Sub-targets that measure their parent's KPI are grouped by what they add to it (a
    sales team, a product category, a shorter period...): regions and product lines are
    two splits of one company target, and each must add up on its own. Ratio KPIs (the
    repurchase rate) do not add up and are not checked.
    """

    _name = "sales_toolkit.target.decomposition"
    _description = "Sales Target Decomposition Check"

    @api.model
    def _check(self, target):
        """The decomposition fields of ``target``: its state (``none``: not split,
        ``balanced``, ``short`` or ``over``) and gap (sub-targets minus the target) by the
        split that misses most, and a summary line per split."""
        splits = self._splits(target)
        if not splits:
            return {"decomposition_state": "none", "decomposition_gap": 0.0, "decomposition_summary": False}
        lines, worst = [], 0.0
        for label, total in splits:
            gap = total - target.target_value
            if abs(gap) > abs(worst):
                worst = gap
            lines.append(self._line(target, label, total, gap))
        balanced = float_is_zero(worst, precision_digits=2)
        return {
            "decomposition_state": "balanced" if balanced else "over" if worst > 0 else "short",
            "decomposition_gap": worst,
            "decomposition_summary": "\n".join(lines),
        }

    @api.model
    def _splits(self, target):
        """[(label, sum of the sub-targets)] per way of splitting ``target``."""
        target.ensure_one()
        if target.kpi not in ADDITIVE_KPIS:
            return []
        totals = defaultdict(float)
        for child in target.child_ids.filtered(lambda child: child.active and child.kpi == target.kpi):
            key = tuple(name for name in DIMENSION_FIELDS if child[name] != target[name])
            if (child.date_from, child.date_to) != (target.date_from, target.date_to):
                key += ("period",)
            totals[key] += child.target_value
        labels = {name: target._fields[name].get_description(self.env)["string"] for name in DIMENSION_FIELDS}
        labels["period"] = self.env._("Period")
        return [
            (" + ".join(labels[name] for name in key) or self.env._("Same dimension"), total)
            for key, total in sorted(totals.items())
        ]

    @api.model
    def _line(self, target, label, total, gap):
        if float_is_zero(gap, precision_digits=2):
            return self.env._(
                "By %(split)s: %(total)s, adds up", split=label, total=target._format_value(total)
            )
        return self.env._(
            "By %(split)s: %(total)s, %(direction)s by %(gap)s",
            split=label,
            total=target._format_value(total),
            direction=self.env._("over") if gap > 0 else self.env._("short"),
            gap=target._format_value(abs(gap)),
        )

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from .sales_toolkit_task import OPEN_STATES

TARGET_LIST_LIMIT = 10


class SalesToolkitCockpit(models.AbstractModel):
    """The manager cockpit, home of the Sales Toolkit app.

    Every tile is one domain on one model: the same domain is counted here and opened by
    the client when the number is clicked, so a number always opens exactly its records.
    Counting goes through the ORM's search (record rules, allowed companies), with one
    query per model counting all its tiles, whatever the volume of data.
    """

    _name = "sales_toolkit.cockpit"
    _description = "Sales Toolkit Cockpit"

    @api.model
    def _cockpit_scope(self):
        """'team' for team leaders and managers (all documents), 'mine' for a rep."""
        return "team" if self.env.user.has_group("sales_team.group_sale_salesman_all_leads") else "mine"

    @api.model
    def _cockpit_target_domain(self, scope, today):
        """Confirmed targets whose period covers today; a rep's own ones (owner or salesperson)."""
        today = fields.Date.to_string(today)
        domain = Domain([("state", "=", "confirmed"), ("date_from", "<=", today), ("date_to", ">=", today)])
        if scope == "mine":
            domain &= Domain("owner_id", "=", self.env.uid) | Domain("user_id", "=", self.env.uid)
        return domain

    @api.model
    def _cockpit_tiles(self, scope, today):
        """[(section key, tile dict)]: each tile's model and domain, counted and opened alike."""
        uid = self.env.uid
        mine = scope == "mine"
        today_str = fields.Date.to_string(today)

        def own(field):
            return Domain(field, "=", uid) if mine else Domain.TRUE

        targets = self._cockpit_target_domain(scope, today)
        return [
            *self._cockpit_target_tiles(targets),
            *self._cockpit_followup_tiles(own, today_str),
            *self._cockpit_care_tiles(own, today_str),
            *self._cockpit_task_tiles(own, today_str),
            *self._cockpit_training_tiles(own, today_str),
        ]

    def _cockpit_target_tiles(self, targets):
        """The targets section: the scope's confirmed targets of today, and those off pace."""
        return [
            (
                "targets",
                {
                    "key": "targets_current",
                    "label": self.env._("Targets This Period"),
                    "help": self.env._("Confirmed targets whose period covers today"),
                    "res_model": "sales_toolkit.target",
                    "domain": targets,
                    "views": [[False, "list"], [False, "kanban"], [False, "form"]],
                },
            ),
            (
                "targets",
                {
                    "key": "targets_off_pace",
                    "label": self.env._("Behind or At Risk"),
                    "help": self.env._("Targets whose forecast misses the on-track share"),
                    "res_model": "sales_toolkit.target",
                    "domain": targets & Domain("status", "in", ["at_risk", "behind"]),
                    "views": [[False, "list"], [False, "kanban"], [False, "form"]],
                    "alert": True,
                },
            ),
        ]

    def _cockpit_followup_tiles(self, own, today_str):
        """The follow-up section: overdue and due follow-ups, the review queue."""
        # by date, not by the stored state the nightly job moves: right from local midnight
        open_lead = Domain("won_status", "=", "pending")
        lead_views = [[False, "list"], [False, "kanban"], [False, "form"]]
        return [
            (
                "followup",
                {
                    "key": "followups_overdue",
                    "label": self.env._("Overdue Follow-ups"),
                    "help": self.env._("Open leads whose next follow-up date has passed"),
                    "res_model": "crm.lead",
                    "domain": open_lead & Domain("next_followup_date", "<", today_str) & own("user_id"),
                    "views": lead_views,
                    "alert": True,
                },
            ),
            (
                "followup",
                {
                    "key": "followups_due",
                    "label": self.env._("Follow-ups Due Today"),
                    "help": self.env._("Open leads to contact today"),
                    "res_model": "crm.lead",
                    "domain": open_lead & Domain("next_followup_date", "=", today_str) & own("user_id"),
                    "views": lead_views,
                },
            ),
            (
                "followup",
                {
                    "key": "review_queue",
                    "label": self.env._("Review Queue"),
                    "help": self.env._("Leads stuck after several follow-ups: the strategy needs a review"),
                    "res_model": "crm.lead",
                    "domain": Domain("needs_review", "=", True) & own("user_id"),
                    "views": [[False, "list"], [False, "form"]],
                    "alert": True,
                },
            ),
        ]

    def _cockpit_care_tiles(self, own, today_str):
        """The care section: care plans with actions due."""
        return [
            (
                "care",
                {
                    "key": "care_due",
                    "label": self.env._("Care Plans with Actions Due"),
                    "help": self.env._("Care actions due today or earlier, scheduled or not yet"),
                    "res_model": "sales_toolkit.care.plan",
                    "domain": (
                        Domain("action_ids", "any", [("next_date", "<=", today_str)])
                        | Domain("activity_ids", "any", [("date_deadline", "<=", today_str)])
                    )
                    & own("user_id"),
                    "views": [[False, "list"], [False, "form"]],
                    "alert": True,
                },
            ),
        ]

    def _cockpit_task_tiles(self, own, today_str):
        """The tasks section: delayed tasks, tasks due today, open meeting action items."""
        open_task = Domain("state", "in", list(OPEN_STATES))
        task_views = [[False, "list"], [False, "kanban"], [False, "form"]]
        return [
            (
                "tasks",
                {
                    "key": "tasks_late",
                    "label": self.env._("Delayed Tasks"),
                    "help": self.env._("Unfinished tasks past their planned end"),
                    "res_model": "sales_toolkit.task",
                    "domain": Domain("is_late", "=", True) & own("user_id"),
                    "views": task_views,
                    "alert": True,
                },
            ),
            (
                "tasks",
                {
                    "key": "tasks_due_today",
                    "label": self.env._("Tasks Due Today"),
                    "help": self.env._("Unfinished tasks whose planned end is today"),
                    "res_model": "sales_toolkit.task",
                    "domain": open_task & Domain("date_deadline", "=", today_str) & own("user_id"),
                    "views": task_views,
                },
            ),
            (
                "tasks",
                {
                    "key": "action_items_open",
                    "label": self.env._("Open Meeting Action Items"),
                    "help": self.env._("Action items of review meetings that are not done yet"),
                    "res_model": "sales_toolkit.task",
                    "domain": open_task
                    & Domain("meeting_id", "!=", False)
                    & Domain("meeting_id.state", "!=", "cancelled")
                    & own("user_id"),
                    "views": task_views,
                },
            ),
        ]

    def _cockpit_training_tiles(self, own, today_str):
        """The training section: behaviour ratings due."""
        return [
            (
                "training",
                {
                    "key": "behaviour_to_rate",
                    "label": self.env._("Behaviour Ratings Due"),
                    "help": self.env._("Participants whose on-the-job behaviour should have been rated"),
                    "res_model": "sales_toolkit.training.participant",
                    "domain": Domain("behaviour_due_date", "<=", today_str)
                    & Domain("behaviour_rating", "=", 0)
                    & Domain("training_id.state", "=", "done")
                    & own("manager_id"),
                    "views": [[False, "list"], [False, "form"]],
                    "alert": True,
                },
            ),
        ]

    @api.model
    def _cockpit_sections(self):
        """{section key: title}, in display order."""
        return {
            "targets": self.env._("Targets of the Current Period"),
            "followup": self.env._("Follow-ups"),
            "care": self.env._("Relationship Care"),
            "tasks": self.env._("Tasks"),
            "training": self.env._("Training"),
        }

    @api.model
    def _cockpit_target_rows(self, scope, today):
        """The targets of the period to show with their pace: top-level ones, or a rep's own."""
        domain = self._cockpit_target_domain(scope, today)
        if scope == "team":
            domain &= Domain("parent_id", "=", False)
        targets = self.env["sales_toolkit.target"].search(domain, limit=TARGET_LIST_LIMIT)
        kpis = dict(targets._fields["kpi"]._description_selection(self.env))
        statuses = dict(targets._fields["status"]._description_selection(self.env))
        return [
            {
                "id": target.id,
                "name": target.name,
                "kpi": kpis.get(target.kpi),
                "achieved": target._format_value(target.achieved_value),
                "target": target._format_value(target.target_value),
                "completion": round(target.completion_rate, 1),
                "expected": round(target.expected_rate, 1),
                "status": target.status,
                "status_label": statuses.get(target.status),
            }
            for target in targets
        ]

    @api.model
    def _cockpit_counts(self, model, domains):
        """[search_count(domain) for domain in domains], in one query on ``model``.

        The query selects the records of any of the domains through ``_search`` (record
        rules, allowed companies, archived records left out, exactly as ``search_count``)
        and counts each domain's records with a conditional aggregate over them.
        """
        domains = [Domain(domain).optimize_full(model) for domain in domains]
        query = model._search(Domain.OR(domains))
        if query.is_empty():
            return [0] * len(domains)
        counts = [
            SQL("COUNT(*) FILTER (WHERE %s)", domain._to_sql(model, model._table, query))
            for domain in domains
        ]
        return list(self.env.execute_query(query.select(*counts))[0])

    @api.readonly
    @api.model
    def get_cockpit_data(self):
        """Everything the cockpit shows, for the current user and allowed companies.

        A fixed number of queries: one count per model of tiles and one bounded read of targets.
        """
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("The Sales Toolkit cockpit is for sales staff."))
        today = self.env.company._toolkit_today()
        scope = self._cockpit_scope()
        sections = {
            key: {"key": key, "title": title, "tiles": []} for key, title in self._cockpit_sections().items()
        }
        tiles = self._cockpit_tiles(scope, today)
        by_model = {}
        for _section_key, tile in tiles:
            by_model.setdefault(tile["res_model"], []).append(tile)
        for res_model, model_tiles in by_model.items():
            counts = self._cockpit_counts(self.env[res_model], [tile["domain"] for tile in model_tiles])
            for tile, count in zip(model_tiles, counts, strict=True):
                tile["value"] = count
        for section_key, tile in tiles:
            domain = list(tile.pop("domain"))
            tile.setdefault("alert", False)
            tile["action"] = {
                "type": "ir.actions.act_window",
                "name": tile["label"],
                "res_model": tile.pop("res_model"),
                "domain": domain,
                "views": tile.pop("views"),
                "context": {"create": False},
                "target": "current",
            }
            sections[section_key]["tiles"].append(tile)
        sections["targets"]["targets"] = self._cockpit_target_rows(scope, today)
        return {
            "scope": scope,
            "scope_label": self.env._("My work") if scope == "mine" else self.env._("Team view"),
            "today": fields.Date.to_string(today),
            "sections": list(sections.values()),
        }

"""Improvement measures become improvement actions, the task's counting mode its progress
source: "measure" is the KPI measurement only.

Renamed in SQL before the registry loads, as openupgradelib's rename_models, rename_tables
and rename_fields do (in plain SQL: openupgradelib is no dependency), so that the records,
their external ids, access rights and record rules carry over instead of being dropped and
created afresh. Every step is skipped once done: running the script twice changes nothing.
"""

import logging

from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

MODULE = "sales_toolkit"
MODELS = [("sales_toolkit.analysis.measure", "sales_toolkit.analysis.action")]
# (model, old field, new field), the model by its new name
FIELDS = [
    ("sales_toolkit.task", "measure", "progress_source"),
    ("sales_toolkit.task", "analysis_measure_id", "analysis_action_id"),
    ("sales_toolkit.analysis.line", "measure_ids", "action_ids"),
]
# the module's own external ids that named the old model (the ir.model, ir.model.fields and
# ir.model.fields.selection ones follow the model and field renames)
XMLIDS = [
    ("access_sales_toolkit_analysis_measure_salesman", "access_sales_toolkit_analysis_action_salesman"),
    ("access_sales_toolkit_analysis_measure_manager", "access_sales_toolkit_analysis_action_manager"),
    ("sales_toolkit_analysis_measure_rule_company", "sales_toolkit_analysis_action_rule_company"),
    ("sales_toolkit_analysis_measure_rule_personal", "sales_toolkit_analysis_action_rule_personal"),
    ("sales_toolkit_analysis_measure_rule_all", "sales_toolkit_analysis_action_rule_all"),
    ("analysis_2025q1_measure_north", "analysis_2025q1_action_north"),
    ("analysis_2025q1_measure_line_a", "analysis_2025q1_action_line_a"),
]
# the record rules are noupdate: their names as the module shipped them are renamed here,
# names a user gave them are kept
RULE_NAMES = [
    ("Sales Toolkit Analysis Measure: multi-company", "Sales Toolkit Analysis Action: multi-company"),
    (
        "Sales Toolkit Analysis Measure: measures of readable sheets",
        "Sales Toolkit Analysis Action: actions of readable sheets",
    ),
    ("Sales Toolkit Analysis Measure: all measures", "Sales Toolkit Analysis Action: all actions"),
]
# columns that hold a model's name, where they exist (mail and others are dependencies)
MODEL_NAME_COLUMNS = [
    ("ir_model", "model"),
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_model_data", "model"),
    ("ir_attachment", "res_model"),
    ("ir_filters", "model_id"),
    ("ir_exports", "resource"),
    ("ir_act_window", "res_model"),
    ("ir_act_server", "model_name"),
    ("ir_act_report_xml", "model"),
    ("ir_ui_view", "model"),
    ("mail_template", "model"),
    ("mail_message", "model"),
    ("mail_message_subtype", "res_model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
]


def migrate(cr, version):
    for old, new in MODELS:
        _rename_model(cr, old, new)
    for model, old, new in FIELDS:
        _rename_field(cr, model, old, new)
    for old, new in XMLIDS:
        _execute(
            cr,
            "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s",
            new,
            MODULE,
            old,
        )
    for old, new in RULE_NAMES:
        _execute(
            cr,
            """UPDATE ir_rule r SET name = %s FROM ir_model_data d
                WHERE d.module = %s AND d.model = 'ir.rule' AND d.res_id = r.id AND r.name = %s""",
            new,
            MODULE,
            old,
        )


def _execute(cr, query, *args):
    cr.execute(SQL(query, *args))
    if cr.rowcount:
        values = ", ".join(arg.code if isinstance(arg, SQL) else str(arg) for arg in args)
        _logger.info("%s rows: %s (%s)", cr.rowcount, " ".join(query.split()[:2]), values)


def _table(model):
    return model.replace(".", "_")


def _starting(prefix):
    """A LIKE pattern for the names that start with ``prefix`` (its underscores literal)."""
    return prefix.replace("_", "\\_") + "%"


def _rename_model(cr, old, new):
    old_table, new_table = _table(old), _table(new)
    if sql.table_exists(cr, old_table) and not sql.table_exists(cr, new_table):
        _rename_table(cr, old_table, new_table)
    for table, column in MODEL_NAME_COLUMNS:
        if sql.column_exists(cr, table, column):
            _execute(
                cr,
                "UPDATE %s SET %s = %s WHERE %s = %s",
                SQL.identifier(table),
                SQL.identifier(column),
                new,
                SQL.identifier(column),
                old,
            )
    # external ids named after the model: model_<model>, field_<model>__<field>,
    # selection__<model>__<field>__<value>
    _execute(
        cr,
        "UPDATE ir_model_data SET name = %s WHERE model = 'ir.model' AND name = %s",
        f"model_{new_table}",
        f"model_{old_table}",
    )
    for prefix, model in (("field_", "ir.model.fields"), ("selection__", "ir.model.fields.selection")):
        _execute(
            cr,
            "UPDATE ir_model_data SET name = %s || substr(name, %s) WHERE model = %s AND name LIKE %s",
            f"{prefix}{new_table}__",
            len(f"{prefix}{old_table}__") + 1,
            model,
            _starting(f"{prefix}{old_table}__"),
        )


def _rename_table(cr, old, new):
    """The table, its id sequence, and the indexes and constraints named after it."""
    _logger.info("table %s: renaming to %s", old, new)
    cr.execute(SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(old), SQL.identifier(new)))
    cr.execute(SQL("SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = %s", f"{old}_id_seq"))
    if cr.rowcount:
        cr.execute(
            SQL(
                "ALTER SEQUENCE %s RENAME TO %s",
                SQL.identifier(f"{old}_id_seq"),
                SQL.identifier(f"{new}_id_seq"),
            )
        )
    pattern = _starting(f"{old}_")
    cr.execute(
        SQL(
            """SELECT i.relname FROM pg_index x
                 JOIN pg_class t ON t.oid = x.indrelid
                 JOIN pg_class i ON i.oid = x.indexrelid
                WHERE t.relname = %s AND i.relname LIKE %s
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)""",
            new,
            pattern,
        )
    )
    for (index,) in cr.fetchall():
        _rename_index(cr, index, new + index[len(old) :])
    cr.execute(
        SQL(
            """SELECT c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE t.relname = %s AND c.conname LIKE %s""",
            new,
            pattern,
        )
    )
    for (constraint,) in cr.fetchall():
        _rename_constraint(cr, new, constraint, new + constraint[len(old) :])


def _rename_index(cr, old, new):
    new = sql.make_identifier(new)
    if sql.index_exists(cr, old) and not sql.index_exists(cr, new):
        cr.execute(SQL("ALTER INDEX %s RENAME TO %s", SQL.identifier(old), SQL.identifier(new)))


def _rename_constraint(cr, table, old, new):
    """A constraint (and its index, for a primary key or a unique one) and its ir.model.constraint."""
    cr.execute(
        SQL(
            "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
            SQL.identifier(table),
            SQL.identifier(old),
            SQL.identifier(new),
        )
    )
    _execute(cr, "UPDATE ir_model_constraint SET name = %s WHERE name = %s", new, old)


def _rename_field(cr, model, old, new):
    table = _table(model)
    if sql.column_exists(cr, table, old) and not sql.column_exists(cr, table, new):
        sql.rename_column(cr, table, old, new)
        _rename_index(cr, sql.make_index_name(table, old), sql.make_index_name(table, new))
        cr.execute(
            SQL(
                """SELECT c.conname FROM pg_constraint c
                     JOIN pg_class t ON t.oid = c.conrelid
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = c.conkey[1]
                    WHERE t.relname = %s AND a.attname = %s AND c.contype = 'f' AND c.conname = %s""",
                table,
                new,
                f"{table}_{old}_fkey",
            )
        )
        for (constraint,) in cr.fetchall():
            _rename_constraint(cr, table, constraint, f"{table}_{new}_fkey")
    _execute(cr, "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s", new, model, old)
    _execute(
        cr,
        "UPDATE ir_model_fields SET relation_field = %s WHERE relation = %s AND relation_field = %s",
        new,
        model,
        old,
    )
    for prefix, data_model in (("field_", "ir.model.fields"), ("selection__", "ir.model.fields.selection")):
        old_name = f"{prefix}{table}__{old}"
        _execute(
            cr,
            """UPDATE ir_model_data SET name = %s || substr(name, %s)
                WHERE model = %s AND (name = %s OR name LIKE %s)""",
            f"{prefix}{table}__{new}",
            len(old_name) + 1,
            data_model,
            old_name,
            _starting(f"{old_name}__"),
        )
    # saved filters and exports that name the field (as rename_fields does)
    for column in ("domain", "context"):
        _execute(
            cr,
            "UPDATE ir_filters SET %s = replace(%s, %s, %s) WHERE model_id = %s AND %s LIKE %s",
            SQL.identifier(column),
            SQL.identifier(column),
            f"'{old}'",
            f"'{new}'",
            model,
            SQL.identifier(column),
            f"%'{old}'%",
        )
    _execute(
        cr,
        """UPDATE ir_exports_line l SET name = %s FROM ir_exports e
            WHERE e.id = l.export_id AND e.resource = %s AND l.name = %s""",
        new,
        model,
        old,
    )

"""Window actions the module's buttons return."""


def form_dialog(name, res_model, context=None, res_id=None):
    """The window action of the form of ``res_model`` in a dialog: record ``res_id``, or a new
    one with the ``context`` defaults."""
    action = {
        "type": "ir.actions.act_window",
        "name": name,
        "res_model": res_model,
        "view_mode": "form",
        "views": [(False, "form")],
        "target": "new",
    }
    if res_id:
        action["res_id"] = res_id
    if context is not None:
        action["context"] = context
    return action

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SalesToolkitExport(http.Controller):
    # readonly: served from the database replica when Odoo runs with --db_replica_host,
    # and nothing is stored (no attachment per download)
    @http.route("/sales_toolkit/xlsx/<string:model>/<int:res_id>", type="http", auth="user", readonly=True)
    def download_xlsx(self, model, res_id):
        # only the models that export themselves as a workbook
        if model not in request.env["sales_toolkit.xlsx.mixin"]._inherit_children:
            raise NotFound()
        record = request.env[model].browse(res_id).exists()
        if not record:
            raise NotFound()
        record.check_access("read")
        filename, content = record._toolkit_xlsx_file()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _toolkit_xlsx_download(self, record, name, content):
        """Attach an Excel export to ``record`` (replacing the previous one) and download it.

        Whoever may read the record may export it: attaching needs no write access.
        """
        attachments = self.sudo()
        attachments.search(
            [("res_model", "=", record._name), ("res_id", "=", record.id), ("name", "=", name)]
        ).unlink()
        attachment = attachments.create(
            {
                "name": name,
                "raw": content,
                "res_model": record._name,
                "res_id": record.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

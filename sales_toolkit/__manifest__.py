{
    "name": "Sales Toolkit",
    "summary": "The sales-management handbook as live CRM records: prospect capture, "
    "need-match scoring and more",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "sales_toolkit developers",
    "website": "https://github.com/sales-toolkit/sales_toolkit",
    "license": "LGPL-3",
    "depends": ["crm", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/sales_toolkit_strength_security.xml",
        "security/sales_toolkit_need_security.xml",
        "security/sales_toolkit_followup_security.xml",
        "data/ir_cron_data.xml",
        "data/sales_toolkit_followup_mail_templates.xml",
        "wizard/sales_toolkit_lead_review_views.xml",
        "views/crm_lead_views.xml",
        "views/sales_toolkit_strength_views.xml",
        "views/sales_toolkit_need_views.xml",
        "views/sales_toolkit_followup_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "reports/crm_lead_reports.xml",
        "reports/crm_lead_templates.xml",
        "reports/sales_toolkit_followup_reports.xml",
        "views/sales_toolkit_menus.xml",
    ],
    "demo": [
        "demo/sales_toolkit_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sales_toolkit/static/tests/tours/*.js",
        ],
    },
}

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("sales_toolkit_followup_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root", "Open the CRM app"),
        {
            content: "Open the lead",
            trigger: ".o_kanban_record:contains('Tour Follow-up Co.')",
            run: "click",
        },
        {
            content: "Log a follow-up",
            trigger: ".o_form_view button[name=action_toolkit_log_followup]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=summary] textarea",
            run: "edit Presented the 15-25% cost cut",
        },
        {
            trigger: ".modal .o_field_widget[name=customer_feedback] textarea",
            run: "edit 5% dearer than our current supplier",
        },
        {
            content: "The next action is the point of the log",
            trigger: ".modal .o_field_widget[name=next_action] input",
            run: "edit Send the quote and a competitor comparison",
        },
        {
            trigger: ".modal .o_field_widget[name=next_action_deadline] input",
            run: `edit ${luxon.DateTime.now().plus({days: 3}).toFormat("MM/dd/yyyy")}`,
        },
        {
            content: "Close the date picker",
            trigger: ".modal .o_field_widget[name=next_action] input",
            run: "click",
        },
        {
            content: "Save the follow-up",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The activity is scheduled on the lead",
            trigger:
                ".o-mail-Activity:contains('Send the quote and a competitor comparison')",
        },
        {
            content: "Open the Follow-ups page",
            trigger: ".o_notebook a[name=sales_toolkit_followups]",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=followup_ids] .o_data_row:contains('Presented the 15-25% cost cut')",
        },
    ],
});

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("sales_toolkit_analysis_tour", {
    url: "/odoo/action-sales_toolkit.sales_toolkit_analysis_action",
    steps: () => [
        {
            content: "New analysis sheet (this quarter, whole company)",
            trigger:
                ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Generate the figures",
            trigger: ".o_form_view button[name=action_generate].btn-primary",
            run: "click",
        },
        {
            content: "The sheet is generated and saved",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Generated')",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The overall revenue line is below target: open it",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row.text-danger:contains('Revenue') td[name=dimension_value]",
            run: "click",
        },
        {
            trigger: ".modal .o_form_view",
        },
        {
            content: "Pick the kind of cause",
            trigger:
                ".modal .o_field_widget[name=root_cause_category] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger:
                ".o_select_menu_menu .o_select_menu_item:contains('Customer count')",
            run: "click",
        },
        {
            content: "A specific cause, not 'the market is bad'",
            trigger: ".modal .o_field_widget[name=root_cause] textarea",
            run: "edit Two key accounts moved their orders to next quarter",
        },
        {
            content: "Add an improvement action",
            trigger:
                ".modal .o_field_widget[name=action_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=action_ids] .o_data_row .o_field_widget[name=name] textarea",
            run: "edit Visit both key accounts with the new price list",
        },
        {
            trigger:
                ".modal .o_field_widget[name=action_ids] .o_data_row .o_field_widget[name=date_deadline] input",
            run: `edit ${luxon.DateTime.now().plus({days: 10}).toFormat("MM/dd/yyyy")}`,
        },
        {
            content: "Close the date picker",
            trigger: ".modal .o_field_widget[name=root_cause] textarea",
            run: "click",
        },
        {
            content: "Save the line",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Save the sheet",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Open the tasks",
            trigger:
                ".o_main_navbar button:contains('Execution'), .o_main_navbar .dropdown-toggle:contains('Execution')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu a:contains('Tasks')",
            run: "click",
        },
        {
            content: "The action is a task of its owner",
            trigger:
                ".o_kanban_record:contains('Visit both key accounts with the new price list')",
        },
    ],
});

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("sales_toolkit_cockpit_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Toolkit app: its home is the cockpit",
            trigger: '.o_app[data-menu-xmlid="sales_toolkit.sales_toolkit_root_menu"]',
            run: "click",
        },
        {
            content: "The manager sees the whole team",
            trigger:
                ".o_sales_toolkit_cockpit .o_sales_toolkit_cockpit_scope:contains('Team view')",
        },
        {
            content: "Every section has its card",
            trigger:
                ".o_sales_toolkit_cockpit .o_sales_toolkit_cockpit_section[data-section=training]",
        },
        {
            content: "Refresh the figures",
            trigger:
                ".o_sales_toolkit_cockpit .o_sales_toolkit_cockpit_refresh:enabled",
            run: "click",
        },
        {
            trigger:
                ".o_sales_toolkit_cockpit .o_sales_toolkit_cockpit_refresh:enabled",
        },
        {
            content: "Open the delayed tasks",
            trigger:
                ".o_sales_toolkit_cockpit .o_sales_toolkit_cockpit_tile[data-tile=tasks_late]",
            run: "click",
        },
        {
            content: "The list of delayed tasks opens",
            trigger: ".o_breadcrumb .active:contains('Delayed Tasks')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Cockpit tour late task')",
        },
        {
            content: "Tasks on time are not in it",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Cockpit tour future task')))",
        },
        {
            content: "Back to the cockpit",
            trigger:
                ".o_breadcrumb .o_back_button, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            trigger:
                ".o_sales_toolkit_cockpit .o_sales_toolkit_cockpit_tile[data-tile=tasks_late]",
        },
    ],
});

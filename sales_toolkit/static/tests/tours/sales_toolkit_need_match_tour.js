import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

const needs = ".o_field_widget[name=need_ids]";

// row: the 1-based position of the new line, so that each step waits for its own row
function addNeed(name, score, row) {
    const editedRow = `${needs} tr.o_data_row.o_selected_row:nth-child(${row})`;
    return [
        {
            content: `Add the need "${name}"`,
            trigger: `${needs} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            trigger: `${editedRow} .o_field_widget[name=name] input`,
            run: `edit ${name}`,
        },
        {
            content: `Score it ${score}`,
            trigger: `${editedRow} .o_field_widget[name=score] input`,
            run: `edit ${score}`,
        },
    ];
}

registry.category("web_tour.tours").add("sales_toolkit_need_match_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root", "Open the CRM app"),
        {
            content: "The pipeline card shows the intent and the match level",
            trigger:
                ".o_kanban_record:contains('Tour Tech Co.') .o_field_widget[name=match_level]:contains('Medium Match')",
        },
        {
            trigger:
                ".o_kanban_record:contains('Tour Tech Co.') .o_field_widget[name=intent_tier]:contains('High Intent')",
        },
        {
            content: "Open the lead",
            trigger: ".o_kanban_record:contains('Tour Tech Co.')",
            run: "click",
        },
        {
            content: "Open the Qualification page",
            trigger: ".o_notebook a[name=sales_toolkit_qualification]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=match_level]:contains('Medium Match')",
        },
        ...addNeed("Quality certificate", 5, 4),
        ...addNeed("After-sales within 24 hours", 5, 5),
        {
            content: "Leave the row so that it is committed",
            trigger: ".o_horizontal_separator:contains('Core Needs and Match')",
            run: "click",
        },
        {
            content: "The match level follows the new scores before saving",
            trigger: ".o_field_widget[name=match_score]:contains('22')",
        },
        {
            trigger: ".o_field_widget[name=match_level]:contains('High Match')",
        },
        {
            content: "Save the lead",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: ".o_field_widget[name=followup_strategy]:contains('Senior visit')",
        },
        {
            content: "Back to the pipeline",
            trigger:
                ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "The card now shows a high match",
            trigger:
                ".o_kanban_record:contains('Tour Tech Co.') .o_field_widget[name=match_level]:contains('High Match')",
        },
    ],
});

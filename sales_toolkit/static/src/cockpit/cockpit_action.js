import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

const STATUS_CLASSES = {
    on_track: "bg-success",
    at_risk: "bg-warning",
    behind: "bg-danger",
};

/**
 * The manager cockpit: one card per section, each number opening the records it counts.
 * The server sends the numbers, their labels and the window action of each.
 */
export class SalesToolkitCockpit extends Component {
    static template = "sales_toolkit.Cockpit";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null, loading: false});
        onWillStart(() => this.load());
    }

    get display() {
        return {controlPanel: {}};
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call(
                "sales_toolkit.cockpit",
                "get_cockpit_data",
                []
            );
        } finally {
            this.state.loading = false;
        }
    }

    openTile(tile) {
        return this.action.doAction(tile.action);
    }

    openTarget(target) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "sales_toolkit.target",
            res_id: target.id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    statusClass(target) {
        return STATUS_CLASSES[target.status] || "bg-secondary";
    }

    barWidth(rate) {
        return `${Math.max(0, Math.min(rate, 100))}%`;
    }

    paceTitle(target) {
        return _t("Expected by now: %(rate)s", {rate: `${target.expected} %`});
    }
}

registry.category("actions").add("sales_toolkit.cockpit", SalesToolkitCockpit);

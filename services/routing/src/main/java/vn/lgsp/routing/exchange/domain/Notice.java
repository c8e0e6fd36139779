package vn.lgsp.routing.exchange.domain;

import io.vertx.core.json.JsonObject;

/**
 * What one system is told about an envelope (exchange.ready, exchange.delivered, …): one event of its stream, whose
 * id a reconnecting client sends back as Last-Event-ID.
 */
public record Notice(long id, String system, String environment, String kind, JsonObject body) {

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("system", system).put("environment", environment).put("kind", kind)
                .put("body", body);
    }

    public static Notice fromJson(JsonObject j) {
        return new Notice(j.getLong("id"), j.getString("system"), j.getString("environment"), j.getString("kind"),
                j.getJsonObject("body"));
    }
}

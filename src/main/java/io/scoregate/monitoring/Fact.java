package io.scoregate.monitoring;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An accepted fact about a company (a row of {@code company_events}): its kind ({@code
 * accounts_filed}, {@code payment_incident}, {@code insolvency_proceeding}, {@code status_changed})
 * and its fields as the events API names them (e.g. {@code amount}, {@code days_late}, {@code
 * proceeding_kind}, {@code opened_on}, {@code closed_on}, {@code status}).
 */
public record Fact(long eventId, long companyId, String kind, JsonObject details, Instant at) {}

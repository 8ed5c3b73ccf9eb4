package io.scoregate.app;

import io.scoregate.audit.JournalConfig;
import io.scoregate.edge.EdgeConfig;
import io.scoregate.edge.IdempotencyConfig;
import io.scoregate.edge.RedisConfig;
import io.scoregate.http.HttpConfig;
import io.scoregate.model.ModelConfig;
import io.scoregate.monitoring.MonitoringConfig;
import io.scoregate.scoring.CacheConfig;
import io.scoregate.scoring.PolicyConfig;
import java.util.Objects;

/**
 * The whole configuration, parsed and validated once at start from {@code config/*.yaml} with
 * environment overrides, then passed down through constructors. Each unit owns its record and
 * validates it; this one only puts them together under their keys.
 */
public record AppConfig(
    InstanceConfig instance,
    HttpConfig http,
    EdgeConfig edge,
    RedisConfig redis,
    IdempotencyConfig idempotency,
    PgConfig pg,
    ModelConfig model,
    CacheConfig cache,
    JournalConfig journal,
    PolicyConfig policy,
    io.scoregate.policy.PolicyRulesConfig policyRules,
    io.scoregate.monitoring.PortfolioConfig portfolios,
    io.scoregate.webhook.WebhookConfig webhook,
    MonitoringConfig monitoring,
    io.scoregate.reporting.ReportingConfig reporting,
    io.scoregate.batch.BatchConfig batch) {

  public AppConfig {
    policyRules =
        policyRules == null ? io.scoregate.policy.PolicyRulesConfig.DEFAULTS : policyRules;
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(idempotency, "idempotency");
    Objects.requireNonNull(pg, "pg");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(portfolios, "portfolios");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(monitoring, "monitoring");
    Objects.requireNonNull(reporting, "reporting");
    if (batch == null) {
      batch = io.scoregate.batch.BatchConfig.DEFAULTS;
    }
  }
}

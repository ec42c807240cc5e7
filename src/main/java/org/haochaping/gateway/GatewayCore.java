package org.haochaping.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.health.HealthCheckRegistry;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.channel.CaseIntake;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.channel.auth.AdminTokens;
import org.haochaping.gateway.channel.auth.AuditLog;
import org.haochaping.gateway.channel.auth.Clients;
import org.haochaping.gateway.channel.http.GatewayHttpServer;
import org.haochaping.gateway.ops.IngestMetrics;
import org.haochaping.gateway.ops.RecentErrors;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.RatingPolicy;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.store.RatingLinks;

/** What every module builds on: configuration, the regulation, storage, the broker, intake, HTTP, health and metrics. */
public record GatewayCore(
    GatewaySettings settings,
    Clock clock,
    PolicyProfile profile,
    ProvinceCodeTables codes,
    RatingPolicy policy,
    Credentials credentials,
    PersonalDataCipher cipher,
    Database database,
    CaseStore cases,
    RatingLedger ledger,
    RatingLinks links,
    ActiveMQConnectionFactory connectionFactory,
    BrokerTopology topology,
    DurablePublisher publisher,
    RatingCodec codec,
    CaseIntake caseIntake,
    RatingIntake ratingIntake,
    GatewayHttpServer http,
    PrometheusMeterRegistry meters,
    IngestMetrics metrics,
    HealthCheckRegistry health,
    Clients clients,
    AdminTokens adminTokens,
    AuditLog audit,
    RecentErrors recentErrors,
    Resources resources) {

  /** Things to close when the gateway stops; last opened, first closed. */
  public interface Resources {
    void add(AutoCloseable resource);
  }
}

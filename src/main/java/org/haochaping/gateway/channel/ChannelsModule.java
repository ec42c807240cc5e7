package org.haochaping.gateway.channel;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.channel.h5.H5Api;
import org.haochaping.gateway.channel.qr.DynamicLinks;
import org.haochaping.gateway.channel.qr.PublicLinks;
import org.haochaping.gateway.channel.qr.QrApi;
import org.haochaping.gateway.channel.suggestion.HallFeedback;
import org.haochaping.gateway.policy.RatingWindow;
import org.haochaping.gateway.policy.WorkingDayCalendar;
import org.haochaping.gateway.store.ChannelFeedback;
import org.haochaping.gateway.store.WindowCases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels citizens use (issue 8): QR codes and the H5 rating page, terminals, the portal,
 * apps and mini-programs, departmental systems in canonical or the guide's own format, 12345
 * callbacks, suggestion boxes, books and mailboxes. Binds the beans of routes/ingest-*.camel.yaml,
 * routes/h5-*.camel.yaml and routes/qr.camel.yaml.
 */
public final class ChannelsModule implements GatewayModule {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsModule.class);

  @Override
  public void configure(CamelContext context, GatewayCore core) {
    PropertiesComponent properties = context.getPropertiesComponent();
    String base = properties.resolveProperty("hcp.public.baseUrl").map(String::strip).filter(v -> !v.isEmpty())
        .orElse("http://localhost:" + core.settings().httpPort());
    PublicLinks publicLinks = new PublicLinks(base);
    RatingWindow window = new RatingWindow(core.profile(), WorkingDayCalendar.fromClasspath());
    DynamicLinks dynamicLinks = new DynamicLinks(core.links(), window, publicLinks, core.clock());
    HallFeedback feedback = new HallFeedback(new ChannelFeedback(core.database(), core.clock()), core.meters());

    var registry = context.getRegistry();
    registry.bind("publicLinks", publicLinks);
    registry.bind("dynamicLinks", dynamicLinks);
    registry.bind("hallFeedback", feedback);
    registry.bind("qrApi", new QrApi(publicLinks, dynamicLinks, core.links(), core.cases()));
    registry.bind("h5Api", new H5Api(core.links(), core.cases(), new WindowCases(core.database(), core.cases()), core.ratingIntake(),
        dynamicLinks, feedback, core.codes(), core.profile(), core.clock()));

    // 000 第十四条: a terminal's completion report is answered with the case's dynamic QR.
    CaseApi caseApi = registry.lookupByNameAndType("caseApi", CaseApi.class);
    caseApi.onCompletion(dynamicLinks::forCompletedTerminalCase);
    LOG.info("Citizen channels: H5 pages and QR codes under {}", publicLinks.base());
  }
}

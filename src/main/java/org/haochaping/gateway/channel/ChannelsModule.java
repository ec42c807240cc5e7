package org.haochaping.gateway.channel;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.channel.h5.H5Api;
import org.haochaping.gateway.channel.qr.DynamicLinks;
import org.haochaping.gateway.channel.qr.PublicLinks;
import org.haochaping.gateway.channel.qr.QrApi;
import org.haochaping.gateway.channel.guide.CaseCodes;
import org.haochaping.gateway.channel.guide.GuideFormat;
import org.haochaping.gateway.channel.hotline.HotlineApi;
import org.haochaping.gateway.channel.mapping.ChannelFields;
import org.haochaping.gateway.channel.mapping.ChannelIntake;
import org.haochaping.gateway.channel.suggestion.HallFeedback;
import org.haochaping.gateway.channel.suggestion.MailSuggestions;
import org.haochaping.gateway.channel.suggestion.Mailbox;
import org.haochaping.gateway.channel.suggestion.SuggestionApi;
import org.haochaping.gateway.channel.suggestion.SuggestionFiles;
import org.haochaping.gateway.channel.suggestion.SuggestionIntake;
import org.haochaping.gateway.store.HotlineRevisits;
import org.haochaping.gateway.policy.RatingWindow;
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
    RatingWindow window = new RatingWindow(core.profile(), core.policy().deadlines());
    DynamicLinks dynamicLinks = new DynamicLinks(core.links(), window, publicLinks, core.clock());
    HallFeedback feedback = new HallFeedback(new ChannelFeedback(core.database(), core.clock()), core.meters());

    var registry = context.getRegistry();
    registry.bind("publicLinks", publicLinks);
    registry.bind("dynamicLinks", dynamicLinks);
    registry.bind("hallFeedback", feedback);
    registry.bind("qrApi", new QrApi(publicLinks, dynamicLinks, core.links(), core.cases()));
    registry.bind("h5Api", new H5Api(core.links(), core.cases(), new WindowCases(core.database(), core.cases()), core.ratingIntake(),
        dynamicLinks, feedback, core.codes(), core.profile(), core.clock(),
        registry.lookupByNameAndType("questionnaires", org.haochaping.gateway.policy.Questionnaires.class)));

    // Channels in their own formats: each route maps with its JSLT, then submits through intake.
    registry.bind("portalIntake", new ChannelIntake(core.ratingIntake(), ChannelFields.PORTAL));
    registry.bind("appIntake", new ChannelIntake(core.ratingIntake(), ChannelFields.APP));
    registry.bind("miniProgramIntake", new ChannelIntake(core.ratingIntake(), ChannelFields.MINI_PROGRAM));
    registry.bind("terminalIntake", new ChannelIntake(core.ratingIntake(), ChannelFields.TERMINAL));
    registry.bind("deptSystemIntake", new ChannelIntake(core.ratingIntake(), java.util.Map.of()));
    registry.bind("guideFormat", new GuideFormat(core.codes(), CaseCodes.load(core.codes().province()), core.profile(),
        new ChannelIntake(core.ratingIntake(), ChannelFields.GUIDE_EVALUATION), core.caseIntake()));
    registry.bind("hotlineApi", new HotlineApi(new ChannelIntake(core.ratingIntake(), ChannelFields.HOTLINE),
        new HotlineRevisits(core.database(), core.cipher(), core.clock()), core.clock()));

    // Suggestion boxes, books and the mailbox (000 第十二条, 第十六条).
    SuggestionIntake suggestions = new SuggestionIntake(core.ratingIntake(), feedback, core.codes(), core.meters());
    registry.bind("suggestionApi", new SuggestionApi(suggestions));
    registry.bind("suggestionFiles", new SuggestionFiles(suggestions, core.clock()));
    properties.addLocation("classpath:connectors/mailbox.properties");
    Mailbox mailbox = Mailbox.from(name -> properties.resolveProperty(name).map(String::strip).orElse(""));
    registry.bind("mailSuggestions", new MailSuggestions(suggestions, mailbox.hallCode(), mailbox.deptCode()));
    properties.addInitialProperty("mailbox.enabled", Boolean.toString(mailbox.enabled()));
    properties.addInitialProperty("mailbox.uri", mailbox.uri());
    if (mailbox.enabled()) {
      LOG.info("Mailbox {} polled every {} ms", mailbox.describe(), mailbox.pollMillis());
    } else {
      LOG.info("Mailbox not configured (HCP_MAILBOX_HOST): not polled");
    }

    // 000 第十四条: a terminal's completion report is answered with the case's dynamic QR.
    CaseApi caseApi = registry.lookupByNameAndType("caseApi", CaseApi.class);
    caseApi.onCompletion(dynamicLinks::forCompletedTerminalCase);
    LOG.info("Citizen channels: H5 pages and QR codes under {}", publicLinks.base());
  }
}

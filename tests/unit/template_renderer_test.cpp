#include "domain/template_renderer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/failure.h"

namespace ordercare::domain {
namespace {

Rendered render_text(const char *text, const Json &vars, Escaping escaping = Escaping::plain) {
  return render(CompiledTemplate::compile(text, "test"), vars, escaping);
}

std::string compile_error_of(std::string_view text) {
  try {
    CompiledTemplate::compile(text, "templates.order_delayed.body.en");
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_CONFIG);
    return failure.what();
  }
  ADD_FAILURE() << "compiled: " << text;
  return {};
}

std::string set_error_of(const char *json) {
  try {
    TemplateSet::from_json(parse_json(json, "config"), "templates");
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_CONFIG);
    return failure.what();
  }
  ADD_FAILURE() << "accepted: " << json;
  return {};
}

const Json kOrderVars = {
    {"customer", {{"name", "Ada"}}},
    {"order", {{"number", "1042"}, {"id", "gid://shop/Order/77"}}},
    {"eta", "Friday, 13 March"},
};

TEST(TemplateRenderer, FillsNestedVariables) {
  const Rendered out = render_text(
      "Hi {{customer.name}}, order #{{order.number}} is delayed. New estimate: {{eta}}.",
      kOrderVars);
  ASSERT_TRUE(out.text);
  EXPECT_EQ(*out.text, "Hi Ada, order #1042 is delayed. New estimate: Friday, 13 March.");
  EXPECT_TRUE(out.missing.empty());
}

TEST(TemplateRenderer, SpacesInsideBracesAreOptional) {
  EXPECT_EQ(render_text("[{{ eta }}|{{eta}}|{{  customer.name\t}}]", kOrderVars).text,
            "[Friday, 13 March|Friday, 13 March|Ada]");
}

TEST(TemplateRenderer, NumbersAndBooleansRenderAsText) {
  const Json vars = {{"count", 3}, {"big", 18446744073709551615u}, {"ratio", 12.5},
                     {"negative", -7}, {"vip", true}, {"flag", false}};
  EXPECT_EQ(render_text("{{count}} {{big}} {{ratio}} {{negative}} {{vip}} {{flag}}", vars).text,
            "3 18446744073709551615 12.5 -7 true false");
}

TEST(TemplateRenderer, PlaceholdersAreListedOnceInOrder) {
  const CompiledTemplate compiled = CompiledTemplate::compile(
      "{{eta}} {{ customer.name }} {{eta}} {{order.number}}", "test");
  EXPECT_EQ(compiled.placeholders(),
            (std::vector<std::string>{"eta", "customer.name", "order.number"}));
  EXPECT_TRUE(CompiledTemplate::compile("no placeholders", "test").placeholders().empty());
}

TEST(TemplateRenderer, HtmlEscapesValuesButNotTheTemplate) {
  const Json vars = {{"customer", {{"name", "<b>\"Tom\" & 'Jerry'</b>"}}}};
  EXPECT_EQ(render_text("<p>Hi {{customer.name}}</p>", vars, Escaping::html).text,
            "<p>Hi &lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;</p>");
  EXPECT_EQ(render_text("<p>Hi {{customer.name}}</p>", vars, Escaping::plain).text,
            "<p>Hi <b>\"Tom\" & 'Jerry'</b></p>");
}

TEST(TemplateRenderer, PlainTextDropsControlCharactersAndKeepsUtf8) {
  // ESC, BEL, CR, DEL and the C1 CSI (U+009B) go; newline, tab and UTF-8 stay.
  const Json vars = {{"v", "A\x1b[31mB\x07" "C\r\nD\tE\x7f" "F\xC2\x9B" "2J Zoë 日本 🚚"}};
  EXPECT_EQ(render_text("{{v}}", vars).text, "A[31mBC\nD\tEF2J Zoë 日本 🚚");
  EXPECT_EQ(render_text("{{v}}", vars, Escaping::html).text, "A[31mBC\nD\tEF2J Zoë 日本 🚚");
}

TEST(TemplateRenderer, PlainLineFlattensLineBreaks) {
  const Json vars = {{"v", "Order\r\n#1\tlate"}};
  EXPECT_EQ(render_text("Re: {{v}}", vars, Escaping::plain_line).text, "Re: Order #1 late");
}

TEST(TemplateRenderer, MalformedUtf8InAValueIsReplaced) {
  const Json vars = {{"v", std::string("a\xff" "b\xe2\x82")}};
  EXPECT_EQ(render_text("{{v}}", vars).text, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TemplateRenderer, RefusesWhenAPlaceholderHasNoValue) {
  const Json vars = {{"customer", {{"name", nullptr}}}, {"order", {{"number", ""}}}};
  const Rendered out = render_text(
      "Hi {{customer.name}}, order #{{order.number}}: {{eta}} ({{customer.name}})", vars);
  EXPECT_FALSE(out.text);
  EXPECT_EQ(out.missing, (std::vector<std::string>{"customer.name", "order.number", "eta"}));
}

TEST(TemplateRenderer, BlankObjectAndArrayValuesCountAsMissing) {
  const Json vars = {{"blank", " \n\t"},
                     {"only_controls", "\x1b\x07"},
                     {"object", {{"a", 1}}},
                     {"list", {1, 2}},
                     {"scalar", "x"}};
  const Rendered out =
      render_text("{{blank}}{{only_controls}}{{object}}{{list}}{{scalar.deeper}}{{scalar}}", vars);
  EXPECT_FALSE(out.text);
  EXPECT_EQ(out.missing, (std::vector<std::string>{"blank", "only_controls", "object", "list",
                                                   "scalar.deeper"}));
  EXPECT_EQ(render_text("{{eta}}", Json::array()).missing, (std::vector<std::string>{"eta"}));
}

TEST(TemplateRenderer, ValuesAreNeverReadAsTemplates) {
  const Json vars = {{"v", "{{eta}} }} {"}, {"eta", "soon"}};
  EXPECT_EQ(render_text("{{v}}", vars).text, "{{eta}} }} {");
}

TEST(TemplateRenderer, SingleBracesAndStrayClosersAreText) {
  EXPECT_EQ(render_text("{ a } b }} c {x}", Json::object()).text, "{ a } b }} c {x}");
  EXPECT_EQ(render_text("{{eta}}}", kOrderVars).text, "Friday, 13 March}");
  EXPECT_EQ(render_text("", Json::object()).text, "");
}

TEST(TemplateRenderer, MalformedTemplatesNameThePath) {
  const std::string path = "templates.order_delayed.body.en: ";
  EXPECT_EQ(compile_error_of("Hi {{customer.name"),
            path + "\"{{\" at byte 3 is not closed by \"}}\"");
  EXPECT_EQ(compile_error_of("Hi {{customer name}}"),
            path + "placeholder \"{{customer name}}\" at byte 3: a name is letters, digits and _ "
                   "in dot-separated parts, such as customer.name");
  for (const char *bad : {"{{}}", "{{ }}", "{{a..b}}", "{{.a}}", "{{a.}}", "{{a-b}}", "{{{a}}}",
                          "{{ a {{ b }}"}) {
    EXPECT_EQ(compile_error_of(bad).rfind(path + "placeholder", 0), 0u) << bad;
  }
  EXPECT_EQ(compile_error_of("ok \xC3("), path + "not valid UTF-8 at byte 3");
}

const char *kSmallSet = R"({
  "order_delayed": {
    "audience": "customer",
    "subject": {"en": "Order #{{order.number}} is late", "de": "Bestellung #{{order.number}} verspätet"},
    "body": {"en": "Hi {{customer.name}}, new estimate: {{eta}}.",
             "de": "Hallo {{customer.name}}, neue Schätzung: {{eta}}."}
  },
  "team_note": {"audience": "team", "description": "internal", "body": {"en": "Case {{case.id}}"}}
})";

TEST(TemplateSet, FindsLanguagesWithFallbackToEnglish) {
  const TemplateSet set = TemplateSet::from_json(parse_json(kSmallSet, "config"), "templates");
  EXPECT_EQ(set.ids(), (std::vector<std::string>{"order_delayed", "team_note"}));
  EXPECT_EQ(set.find("order_delayed")->audience, Audience::customer);
  EXPECT_EQ(set.find("team_note")->audience, Audience::team);
  EXPECT_EQ(set.find("nope"), nullptr);
  EXPECT_EQ(set.find("nope", "en"), nullptr);

  const auto body = [&](const char *language) {
    return set.find("order_delayed", language)->source().substr(0, 5);
  };
  EXPECT_EQ(body("de"), "Hallo");
  EXPECT_EQ(body("de-AT"), "Hallo");
  EXPECT_EQ(body("DE_at"), "Hallo");
  EXPECT_EQ(body("fr"), "Hi {{");
  EXPECT_EQ(body(""), "Hi {{");
  EXPECT_EQ(set.find_subject("order_delayed", "de-CH")->source(),
            "Bestellung #{{order.number}} verspätet");
  EXPECT_EQ(set.find_subject("team_note", "en"), nullptr);
}

TEST(TemplateSet, RendersSubjectAndBodyTogether) {
  const TemplateSet set = TemplateSet::from_json(parse_json(kSmallSet, "config"), "templates");
  Json vars = kOrderVars;
  vars["order"]["number"] = "10\n42";
  const RenderedMessage de = set.render("order_delayed", "de-DE", vars, Escaping::html);
  EXPECT_EQ(de.language, "de");
  EXPECT_EQ(de.subject, "Bestellung #10 42 verspätet");
  EXPECT_EQ(de.body, "Hallo Ada, neue Schätzung: Friday, 13 March.");

  vars.erase("eta");
  vars["customer"].erase("name");
  vars["order"].erase("number");
  const RenderedMessage broken = set.render("order_delayed", "en", vars, Escaping::plain);
  EXPECT_FALSE(broken.subject);
  EXPECT_FALSE(broken.body);
  EXPECT_EQ(broken.missing,
            (std::vector<std::string>{"order.number", "customer.name", "eta"}));

  // A subject that renders does not make up for a body that does not.
  const RenderedMessage half =
      set.render("order_delayed", "en", Json{{"order", {{"number", "1"}}}}, Escaping::plain);
  EXPECT_FALSE(half.subject);
  EXPECT_EQ(half.missing, (std::vector<std::string>{"customer.name", "eta"}));

  EXPECT_EQ(set.render("team_note", "de", Json{{"case", {{"id", "C-9"}}}}, Escaping::plain).body,
            "Case C-9");
  EXPECT_THROW(set.render("nope", "en", vars, Escaping::plain), Failure);
}

TEST(TemplateSet, MalformedSetsNameTheField) {
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "customer", "body": {"de": "Hallo"}}})"),
            "templates.x.body: needs an \"en\" text, the fallback for every other language");
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "customer", "subject": {"en": "S"},
                                   "body": {"en": "B", "de": "B"}}})"),
            "templates.x.subject: has no \"de\" text for the \"de\" body");
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "everyone", "body": {"en": "B"}}})"),
            "templates.x.audience: expected \"customer\" or \"team\"");
  EXPECT_EQ(set_error_of(R"({"x": {"body": {"en": "B"}}})"),
            "templates.x.audience: required: \"customer\" or \"team\"");
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "team"}})"),
            "templates.x.body: required: texts by language");
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "team", "body": {"en": "B"}, "bdy": 1}})")
                .rfind("templates.x.bdy: unknown field", 0),
            0u);
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "team", "body": {"english": "B"}}})"),
            "templates.x.body.english: not a language tag such as \"en\" or \"de-at\"");
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "team", "body": {"en": 5}}})"),
            "templates.x.body.en: expected the template text as a string");
  EXPECT_EQ(set_error_of(R"({"x": {"audience": "team", "body": {"en": "Hi {{name"}}})"),
            "templates.x.body.en: \"{{\" at byte 3 is not closed by \"}}\"");
  EXPECT_EQ(set_error_of(R"({"Order-Delayed": {"audience": "team", "body": {"en": "B"}}})"),
            "templates.Order-Delayed: a template id is lower-case letters, digits and _");
  EXPECT_EQ(set_error_of(R"(["x"])"), "templates: expected an object of templates by id");
}

TEST(TemplateSet, OverridesAddLanguagesAndReplaceTexts) {
  const TemplateSet base = TemplateSet::from_json(parse_json(kSmallSet, "config"), "templates");
  const TemplateSet set = TemplateSet::from_json(parse_json(R"({
      "order_delayed": {"subject": {"fr": "Commande #{{order.number}} en retard"},
                        "body": {"fr": "Bonjour {{customer.name}}, nouvelle date : {{eta}}.",
                                 "en": "Hello {{customer.name}}, it arrives {{eta}}."}},
      "refund_sent": {"audience": "customer", "body": {"en": "Refunded {{refund.amount}}."}}
  })", "config"), "templates", base);
  EXPECT_EQ(set.render("order_delayed", "fr", kOrderVars, Escaping::plain).body,
            "Bonjour Ada, nouvelle date : Friday, 13 March.");
  EXPECT_EQ(set.render("order_delayed", "en", kOrderVars, Escaping::plain).body,
            "Hello Ada, it arrives Friday, 13 March.");
  EXPECT_EQ(set.render("order_delayed", "de", kOrderVars, Escaping::plain).subject,
            "Bestellung #1042 verspätet");
  EXPECT_NE(set.find("refund_sent"), nullptr);
  EXPECT_EQ(base.find("refund_sent"), nullptr);

  try {
    TemplateSet::from_json(
        parse_json(R"({"order_delayed": {"body": {"it": "Ciao"}}})", "config"), "templates",
        base);
    ADD_FAILURE() << "a body language without a subject was accepted";
  } catch (const Failure &failure) {
    EXPECT_EQ(std::string(failure.what()),
              "templates.order_delayed.subject: has no \"it\" text for the \"it\" body");
  }
}

// The variables the default templates may use (defaults/README.md), each
// filled with a recognisable value.
Json full_variables() {
  const char *names[] = {
      "customer.name", "store.name", "store.sign_off", "case.id", "case.issue", "case.priority", "order.number",
      "order.name", "response_promise", "return.accepted_items", "return.declined_items", "greeting",
      "item.name", "item.sku", "substitute.name", "substitute.sku", "stock.count", "restock_date",
      "shipment.carrier", "shipment.tracking_number", "shipment.shipped_at", "eta", "ship_date",
      "delay.reason", "offer", "refund.amount", "refund.timeline", "return.id",
      "return.label_url", "return.ship_by", "return.reason", "return.window_days",
      "return.portal_url", "resolution.action", "expected_response", "expected_resolution",
      "pickup.location", "survey.url", "survey.reward", "escalation.reason", "sla.name",
      "sla.due", "sla.target", "needs", "respond_within", "reply.text", "feedback.case_id", "feedback.answer",
      "exchange.items", "digest.team", "digest.from", "digest.to", "digest.count", "digest.missed",
      "digest.at_risk", "digest.lines", "privacy.customer", "privacy.request", "privacy.source",
      "privacy.orders", "privacy.cases", "privacy.export", "transfer.id", "transfer.items", "transfer.from",
      "transfer.to", "transfer.ready_by", "transfer.wait", "transfer.reason", "location.name",
      "shortfall.orders", "shortfall.lines", "change.by", "change.reason"};
  Json vars = Json::object();
  for (const std::string name : names) {
    std::string path = "/" + name;
    std::replace(path.begin(), path.end(), '.', '/');
    vars[Json::json_pointer(path)] = "<" + name + ">";
  }
  return vars;
}

TEST(DefaultTemplates, EveryTemplateCompilesAndRendersInEveryLanguage) {
  const TemplateSet &set = TemplateSet::defaults();
  const Json vars = full_variables();
  ASSERT_GE(set.ids().size(), 20u);
  for (const std::string &id : set.ids()) {
    const MessageTemplate &message = *set.find(id);
    EXPECT_TRUE(message.body.contains("de")) << id;
    EXPECT_EQ(message.audience == Audience::team, id.rfind("team_", 0) == 0) << id;
    EXPECT_EQ(message.audience == Audience::customer, !message.subject.empty()) << id;
    for (const auto &[language, body] : message.body) {
      const RenderedMessage out = set.render(id, language, vars, Escaping::html);
      EXPECT_EQ(out.language, language);
      EXPECT_TRUE(out.missing.empty()) << id << "/" << language << ": " << out.missing.front();
      ASSERT_TRUE(out.body) << id;
      EXPECT_EQ(out.body->find("{{"), std::string::npos) << id;
      // Values are HTML-escaped: every placeholder shows up as &lt;name&gt;.
      for (const std::string &name : body.placeholders())
        EXPECT_NE(out.body->find("&lt;" + name + "&gt;"), std::string::npos) << id << " " << name;
      EXPECT_EQ(out.subject.has_value(), !message.subject.empty()) << id;
    }
  }
}

TEST(DefaultTemplates, CoverThePlaybooks) {
  const TemplateSet &set = TemplateSet::defaults();
  for (const char *id :
       {"auto_acknowledgement", "complaint_acknowledgement", "wismo_in_transit",
        "wismo_not_shipped", "shipping_delay", "shipping_delay_with_offer",
        "wrong_item_replacement", "missing_item_reship", "cancellation_confirmed",
        "cancellation_already_shipped", "out_of_stock_options", "damaged_item_photo_request",
        "damaged_item_replacement", "refund_issued", "return_approved", "return_rejected",
        "feedback_survey", "team_order_delayed", "team_out_of_stock", "team_rush_completed",
        "team_problem_fixed", "team_sla_breached",
        // Order actions (ABI 1.3): what the host did, told the customer.
        "replacement_shipped", "replacement_arranged", "wrong_item_replacement_untracked", "return_label_ready",
        "exchange_arranged", "offer_made"}) {
    EXPECT_NE(set.find(id), nullptr) << id;
  }
  EXPECT_EQ(set.find_subject("feedback_survey", "en")->source(),
            "We'd love your feedback on your recent experience!");
  // The acknowledgement promises what the first-response clock does, in words.
  EXPECT_NE(set.find("auto_acknowledgement", "en")->source().find("get back to you {{response_promise}}."),
            std::string::npos);
  const Json vars = full_variables();
  const RenderedMessage team = set.render("team_order_delayed", "en", vars, Escaping::plain);
  EXPECT_EQ(team.body,
            "Order <order.name> delayed. Reason: <delay.reason>. New ship date: <ship_date>. "
            "CS can offer: <offer>.");
  // A WISMO reply without a tracking number is never sent half-filled.
  // The defaults sign with store.sign_off, never a store name that may be unset.
  for (const std::string &id : set.ids())
    for (const auto &[language, body] : set.find(id)->body)
      for (const std::string &name : body.placeholders()) EXPECT_NE(name, "store.name") << id << "/" << language;
  Json no_tracking = vars;
  no_tracking["shipment"].erase("tracking_number");
  EXPECT_EQ(set.render("wismo_in_transit", "de", no_tracking, Escaping::plain).missing,
            (std::vector<std::string>{"shipment.tracking_number"}));
}

}  // namespace
}  // namespace ordercare::domain

// One connection's HTTP protocol without a socket: requests parsed from any
// chunking, answers written in request order even when they complete out
// of order, the pipelining bound, and the error answers that end a
// connection.
#include "runtime/http/http_session.h"

#include <gtest/gtest.h>

#include <map>

#include "runtime/http/http_router.h"

namespace ordercare::runtime {
namespace {

class Capture final : public SessionOutput {
 public:
  void send(std::string bytes) override { out += bytes; }
  void finish() override { ++finished; }
  void progressed() override {}
  std::string out;
  int finished = 0;
};

// Holds every request's answer until the test releases it.
struct Held {
  std::vector<std::pair<std::string, HttpSession::Respond>> requests;
  void answer(std::size_t i, int status = 200) {
    HttpResponse r;
    r.status = status;
    r.body = requests.at(i).first;
    requests.at(i).second(std::move(r));
  }
};

std::shared_ptr<HttpSession> session(Capture &out, Held &held, std::size_t max_pipelined = 16) {
  return HttpSession::create(HttpSession::Limits{1024, 64, max_pipelined},
                             [&held](HttpRequest &&r, HttpSession::Respond respond) {
                               held.requests.emplace_back(r.target + " " + r.body, std::move(respond));
                             },
                             out);
}

std::vector<std::string> bodies_in(const std::string &out) {
  std::vector<std::string> bodies;
  std::size_t at = 0;
  while ((at = out.find("Content-Length: ", at)) != std::string::npos) {
    const std::size_t length = std::stoul(out.substr(at + 16));
    const std::size_t start = out.find("\r\n\r\n", at) + 4;
    bodies.push_back(out.substr(start, length));
    at = start + length;
  }
  return bodies;
}

TEST(HttpSession, AnswersGoOutInRequestOrderWhateverOrderTheyComplete) {
  Capture out;
  Held held;
  auto s = session(out, held);
  s->feed("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\n\r\n");
  ASSERT_EQ(held.requests.size(), 3u);
  held.answer(2);
  held.answer(1);
  EXPECT_EQ(out.out, "");  // /a is still due
  EXPECT_EQ(s->phase(), HttpSession::Phase::waiting);
  held.answer(0);
  EXPECT_EQ(bodies_in(out.out), (std::vector<std::string>{"/a ", "/b xyz", "/c "}));
  EXPECT_EQ(s->phase(), HttpSession::Phase::idle);
  EXPECT_EQ(out.finished, 0);
}

TEST(HttpSession, AnyChunkingParsesTheSame) {
  const std::string stream =
      "POST /x HTTP/1.1\r\nX-A: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nGET /y HTTP/1.1\r\n\r\n";
  for (std::size_t chunk = 1; chunk <= stream.size(); chunk += 7) {
    Capture out;
    Held held;
    auto s = session(out, held);
    for (std::size_t at = 0; at < stream.size(); at += chunk) s->feed(std::string_view(stream).substr(at, chunk));
    ASSERT_EQ(held.requests.size(), 2u) << chunk;
    EXPECT_EQ(held.requests[0].first, "/x abcde");
    EXPECT_EQ(held.requests[1].first, "/y ");
  }
}

TEST(HttpSession, PastThePipeliningBoundTheParserWaits) {
  Capture out;
  Held held;
  auto s = session(out, held, 2);
  std::string stream;
  for (int i = 0; i < 5; ++i) stream += "GET /" + std::to_string(i) + " HTTP/1.1\r\n\r\n";
  s->feed(stream);
  EXPECT_EQ(held.requests.size(), 2u);
  EXPECT_FALSE(s->wants_input());
  held.answer(0);
  EXPECT_EQ(held.requests.size(), 3u);  // one answered, one more read
  held.answer(1);
  held.answer(2);
  held.answer(3);
  held.answer(4);
  EXPECT_EQ(bodies_in(out.out), (std::vector<std::string>{"/0 ", "/1 ", "/2 ", "/3 ", "/4 "}));
  EXPECT_TRUE(s->wants_input());
}

TEST(HttpSession, ABodyOverTheLimitIs413AfterTheEarlierAnswers) {
  Capture out;
  Held held;
  auto s = session(out, held);
  s->feed("GET /first HTTP/1.1\r\n\r\nPOST /big HTTP/1.1\r\nContent-Length: 65\r\n\r\n");
  ASSERT_EQ(held.requests.size(), 1u);
  EXPECT_EQ(out.out, "");
  held.answer(0);
  EXPECT_NE(out.out.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_LT(out.out.find("200 OK"), out.out.find("413 Content Too Large"));
  EXPECT_NE(out.out.find("Connection: close"), std::string::npos);
  EXPECT_EQ(out.finished, 1);
  s->feed("GET /ignored HTTP/1.1\r\n\r\n");
  EXPECT_EQ(held.requests.size(), 1u);
}

TEST(HttpSession, TimeoutsAnswer408OnlyForAHalfReadRequest) {
  Capture out;
  Held held;
  auto s = session(out, held);
  s->feed("GET /x HTTP/1.1\r\nHost:");
  EXPECT_EQ(s->phase(), HttpSession::Phase::headers);
  s->time_out();
  EXPECT_NE(out.out.find("408 Request Timeout"), std::string::npos);
  EXPECT_EQ(out.finished, 1);

  Capture idle_out;
  Held idle_held;
  auto idle = session(idle_out, idle_held);
  idle->time_out();
  EXPECT_EQ(idle_out.out, "");
  EXPECT_EQ(idle_out.finished, 1);
}

TEST(HttpSession, ConnectionCloseEndsAfterItsAnswerAndLateAnswersAreDropped) {
  Capture out;
  Held held;
  auto s = session(out, held);
  s->feed("GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\n\r\n");
  ASSERT_EQ(held.requests.size(), 1u);
  held.answer(0);
  EXPECT_NE(out.out.find("Connection: close"), std::string::npos);
  EXPECT_EQ(out.finished, 1);
  auto late = held.requests[0].second;
  s.reset();
  late(HttpResponse{});  // the session is gone: nothing happens
}

// RFC 9112 section 5.1: no whitespace between a field name and its colon,
// and a server must answer such a request 400. llhttp 8 let it through as
// the header "Host ".
TEST(HttpSession, WhitespaceBeforeAHeaderColonIs400) {
  for (const char *bad : {"Host : x", "Host  : x", "X-Shopify-Topic : orders/create", "Ho st: x"}) {
    Capture out;
    Held held;
    auto s = session(out, held);
    s->feed("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\n" + std::string(bad) + "\r\n\r\n");
    ASSERT_EQ(held.requests.size(), 1u) << bad;
    held.answer(0);
    EXPECT_LT(out.out.find("200 OK"), out.out.find("400 Bad Request")) << bad;
    EXPECT_NE(out.out.find("Connection: close"), std::string::npos) << bad;
    EXPECT_EQ(out.finished, 1) << bad;
  }
  Capture out;
  Held held;
  auto s = session(out, held);
  s->feed("GET /a HTTP/1.1\r\nHost : x\r\n\r\n");
  EXPECT_TRUE(held.requests.empty());
  EXPECT_NE(out.out.find("whitespace between a header name and its colon"), std::string::npos) << out.out;
}

TEST(HttpRouter, UnknownPathsAre404AndWrongMethods405WithAllow) {
  HttpRouter router;
  router.add("POST", "/webhooks/x", [](HttpRequest &&, HttpSession::Respond respond) { respond(HttpResponse{}); });
  router.add("PUT", "/webhooks/x", [](HttpRequest &&, HttpSession::Respond respond) { respond(HttpResponse{}); });
  std::vector<HttpResponse> answers;
  HttpSession::Respond keep = [&](HttpResponse r) { answers.push_back(std::move(r)); };
  HttpRequest get;
  get.method = "GET";
  get.target = "/webhooks/x?q=1";
  router.handle(std::move(get), keep);
  HttpRequest missing;
  missing.method = "POST";
  missing.target = "/webhooks/y";
  router.handle(std::move(missing), keep);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].status, 405);
  EXPECT_EQ(answers[0].headers.at(0), (std::pair<std::string, std::string>{"Allow", "POST, PUT"}));
  EXPECT_EQ(answers[1].status, 404);
  EXPECT_EQ(router.endpoint_of("/webhooks/x"), "/webhooks/x");
  EXPECT_EQ(router.endpoint_of("/admin.php"), "other");
}

}  // namespace
}  // namespace ordercare::runtime

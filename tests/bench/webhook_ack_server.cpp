// The webhook server with the store switched off (issue 11, point 6): the
// plugin's own HTTP server, signature checks, payload mapping and
// validation, built from the config the way the plugin builds it, but
// behind an EventSink that acknowledges each delivery as soon as it is
// mapped instead of writing it. scripts/bench webhooks runs it beside a
// "return 200" nginx and the durable server (ordercare-host serve), so the
// ratios show what the HTTP side costs and what the store adds.
//   webhook_ack_server CONFIG.json
// Prints "serve: webhooks on http://<address>:<port>/" once listening,
// serves until SIGINT or SIGTERM, then says how many deliveries it
// acknowledged.
#include <uv.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/event_sink.h"
#include "runtime/http_server.h"

namespace {

using namespace ordercare;

class AckSink final : public runtime::EventSink {
 public:
  void submit_async(std::vector<ingest::CanonicalEvent> events, SubmitDone done) override {
    runtime::SubmitResult result;
    for (auto &event : events) {
      runtime::SubmitOutcome outcome;
      outcome.event_id = std::move(event.id);
      result.outcomes.push_back(std::move(outcome));
    }
    ++deliveries_;
    done(std::move(result));
  }
  void probe_async(ProbeDone done) override {
    runtime::StoreProbe probe;
    probe.reachable = true;
    done(std::move(probe));
  }
  TimeMs sink_now() const override { return runtime::Clock::system_now(); }

  long deliveries() const { return deliveries_; }

 private:
  long deliveries_ = 0;
};

struct Stop {
  runtime::HttpServer *server;
  uv_signal_t signals[2];
};

void on_signal(uv_signal_t *handle, int) {
  auto *stop = static_cast<Stop *>(handle->data);
  stop->server->stop();
  for (auto &signal : stop->signals) uv_close(reinterpret_cast<uv_handle_t *>(&signal), nullptr);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: webhook_ack_server CONFIG.json\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) throw std::runtime_error(std::string("cannot read ") + argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    const runtime::Config config = runtime::parse_config(text.str());
    uv_loop_t loop;
    uv_loop_init(&loop);
    AckSink sink;
    runtime::HttpServer server(loop, config.webhooks, sink);
    server.start();
    const Json status = server.status();
    std::printf("serve: webhooks on http://%s:%d/ (store off: every delivery acknowledged once mapped)\n",
                status["address"].get<std::string>().c_str(), status["port"].get<int>());
    std::fflush(stdout);
    Stop stop{&server, {}};
    const int which[] = {SIGINT, SIGTERM};
    for (int i = 0; i < 2; ++i) {
      uv_signal_init(&loop, &stop.signals[i]);
      stop.signals[i].data = &stop;
      uv_signal_start(&stop.signals[i], on_signal, which[i]);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    std::printf("serve: acknowledged %ld deliveries\n", sink.deliveries());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "webhook_ack_server: %s\n", e.what());
    return 1;
  }
  return 0;
}

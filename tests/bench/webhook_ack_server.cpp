// The webhook server with the store switched off (issue 11, point 6): the
// plugin's own HTTP server, signature checks, payload mapping and
// validation, built from the config the way the plugin builds it (on the
// threads webhooks.threads asks for, as Plugin::start_server does), but behind an
// EventSink that acknowledges each delivery as soon as it is mapped
// instead of writing it. scripts/bench webhooks runs it beside a
// "return 200" nginx and the durable server (ordercare-host serve), so the
// ratios show what the HTTP side costs and what the store adds.
//   webhook_ack_server CONFIG.json
// Prints "serve: webhooks on http://<address>:<port>/" once listening,
// serves until SIGINT or SIGTERM, then says how many deliveries it
// acknowledged.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/event_sink.h"
#include "runtime/webhook_threads.h"

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
    deliveries_.fetch_add(1, std::memory_order_relaxed);
    done(std::move(result));
  }
  void probe_async(ProbeDone done) override {
    runtime::StoreProbe probe;
    probe.reachable = true;
    done(std::move(probe));
  }
  TimeMs sink_now() const override { return runtime::Clock::system_now(); }

  long deliveries() const { return deliveries_.load(); }

 private:
  std::atomic<long> deliveries_{0};
};

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
    // The signals are taken by sigwait below, never by a thread.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    // As Plugin::start_server builds it: the server's threads (webhooks.threads
    // of the config), every one submitting to the same acknowledging sink.
    AckSink sink;
    runtime::WebhookThreads server(config.webhooks, [&sink](std::size_t) -> runtime::EventSink & { return sink; });
    server.start();
    const Json status = server.status();
    std::printf("serve: webhooks on http://%s:%d/ with %zu threads (store off: every delivery acknowledged once "
                "mapped)\n",
                status["address"].get<std::string>().c_str(), status["port"].get<int>(), server.size());
    std::fflush(stdout);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
    std::printf("serve: acknowledged %ld deliveries\n", sink.deliveries());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "webhook_ack_server: %s\n", e.what());
    return 1;
  }
  return 0;
}

// The webhook server with the store switched off (issue 11, point 6): the
// plugin's own HTTP server, signature checks, payload mapping and
// validation, built from the config the way the plugin builds it (on a
// LoopThread of its own, as Plugin::start_server does), but behind an
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
#include "runtime/http/http_server.h"
#include "runtime/loop_thread.h"

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
    // As Plugin::start_server builds it: a thread of its own whose jobs
    // only carry answers; here none are posted, each is given at once.
    AckSink sink;
    runtime::LoopThread server_loop([](std::vector<runtime::Job> &tasks) {
      for (runtime::Job &task : tasks) task.done(nullptr);
    });
    std::unique_ptr<runtime::HttpServer> server;
    server_loop.start(
        [&] {
          server = std::make_unique<runtime::HttpServer>(*server_loop.loop(), config.webhooks, sink);
          server->start();
        },
        [&] { server->stop(); });
    const Json status = server->status();
    std::printf("serve: webhooks on http://%s:%d/ (store off: every delivery acknowledged once mapped)\n",
                status["address"].get<std::string>().c_str(), status["port"].get<int>());
    std::fflush(stdout);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server_loop.stop();
    std::printf("serve: acknowledged %ld deliveries\n", sink.deliveries());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "webhook_ack_server: %s\n", e.what());
    return 1;
  }
  return 0;
}

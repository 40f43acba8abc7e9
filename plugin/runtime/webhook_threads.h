// The webhook server's threads (webhooks.threads): each a libuv loop of its
// own with an HttpServer on it. The first thread listens and hands the
// connections it accepts in turn to every thread, itself included; a
// connection's requests are then read, verified, parsed and mapped on the
// thread that holds it, so the server uses as many cores as it has threads
// while the writer commits on its own thread. The threads are named
// oc-webhooks, oc-webhooks-2, ...
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "runtime/event_sink.h"
#include "runtime/http/http_server.h"
#include "runtime/loop_thread.h"
#include "runtime/webhook_config.h"

namespace ordercare::runtime {

// webhooks.threads as configured, 0 meaning one per core, at most four: a
// webhook costs its thread about as much as the writer's share of it.
std::size_t webhook_thread_count(const WebhookConfig &config);

class WebhookThreads {
 public:
  using SinkFor = std::function<EventSink &(std::size_t thread)>;
  using Turn = std::function<void(std::size_t thread)>;

  // Thread i's connections submit through sink_for(i), which must outlive
  // this. on_turn(i), if given, runs on thread i at the end of each turn of
  // its loop (the plugin hands that turn's deliveries to the writer there).
  WebhookThreads(const WebhookConfig &config, SinkFor sink_for, Turn on_turn = {});
  ~WebhookThreads();
  WebhookThreads(const WebhookThreads &) = delete;
  WebhookThreads &operator=(const WebhookThreads &) = delete;

  // Starts every thread, then the listener. Throws Failure(OC_ERR_CONFIG)
  // naming the address when it cannot listen; nothing is left running.
  void start();
  // The listener's thread first, so nothing is handed to a thread already
  // stopped; then the others. Answers not yet sent are dropped (their
  // connections close, and the platform sends those deliveries again).
  void stop();

  // Any thread: runs `task` on thread i; false (not run, dropped) once that
  // thread is stopping.
  bool post(std::size_t thread, std::function<void()> task);

  std::size_t size() const { return threads_.size(); }
  // {listening, address, port, connections (all threads'), threads,
  // connections_per_thread}. Any thread, once start returned.
  Json status() const;

 private:
  struct Thread {
    WebhookThreads *owner = nullptr;
    std::size_t index = 0;
    std::string name;
    std::unique_ptr<LoopThread> loop;
    std::unique_ptr<HttpServer> server;  // made and used on the thread
    uv_check_t turn{};
    bool turn_open = false;
  };

  void start_thread(std::size_t i);
  // The listener's way to give thread i a socket it accepted.
  HttpServer::HandOff hand_off_to(std::size_t i);

  const WebhookConfig &config_;
  SinkFor sink_for_;
  Turn on_turn_;
  std::shared_ptr<ServerShared> shared_ = std::make_shared<ServerShared>();
  std::vector<std::unique_ptr<Thread>> threads_;
};

}  // namespace ordercare::runtime

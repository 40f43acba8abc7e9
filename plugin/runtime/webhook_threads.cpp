#include "runtime/webhook_threads.h"

#include <unistd.h>

#include <algorithm>
#include <thread>
#include <utility>

namespace ordercare::runtime {

namespace {

constexpr std::size_t kMostAutomaticThreads = 4;

// A socket on its way to another thread: closed if the job carrying it is
// dropped unrun (that thread stopped first).
class SocketInTransit {
 public:
  explicit SocketInTransit(uv_os_sock_t socket) : socket_(socket) {}
  ~SocketInTransit() {
    if (socket_ >= 0) ::close(socket_);
  }
  SocketInTransit(const SocketInTransit &) = delete;
  SocketInTransit &operator=(const SocketInTransit &) = delete;
  uv_os_sock_t take() { return std::exchange(socket_, -1); }

 private:
  uv_os_sock_t socket_;
};

}  // namespace

std::size_t webhook_thread_count(const WebhookConfig &config) {
  if (config.threads > 0) return config.threads;
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMostAutomaticThreads);
}

WebhookThreads::WebhookThreads(const WebhookConfig &config, SinkFor sink_for, Turn on_turn)
    : config_(config), sink_for_(std::move(sink_for)), on_turn_(std::move(on_turn)) {
  const std::size_t count = webhook_thread_count(config);
  for (std::size_t i = 0; i < count; ++i) {
    auto thread = std::make_unique<Thread>();
    thread->owner = this;
    thread->index = i;
    thread->name = i == 0 ? "oc-webhooks" : "oc-webhooks-" + std::to_string(i + 1);
    // The threads' jobs carry no work: each `done` is an answer (or a
    // socket) coming from another thread, run where its connection is.
    thread->loop = std::make_unique<LoopThread>([](std::vector<Job> &tasks) {
      for (Job &task : tasks) task.done(nullptr);
    });
    threads_.push_back(std::move(thread));
  }
}

WebhookThreads::~WebhookThreads() { stop(); }

void WebhookThreads::start() {
  try {
    // The listener last: a connection it hands off finds its thread running.
    for (std::size_t i = threads_.size(); i-- > 0;) start_thread(i);
  } catch (...) {
    stop();
    throw;
  }
}

void WebhookThreads::start_thread(std::size_t i) {
  Thread &thread = *threads_[i];
  thread.loop->start(
      [this, i, &thread] {
        thread.server = std::make_unique<HttpServer>(*thread.loop->loop(), config_, sink_for_(i), shared_);
        if (i == 0) {
          std::vector<HttpServer::HandOff> others;
          for (std::size_t k = 1; k < threads_.size(); ++k) others.push_back(hand_off_to(k));
          thread.server->hand_off_to(std::move(others));
          thread.server->start();
        }
        if (!on_turn_) return;
        uv_check_init(thread.loop->loop(), &thread.turn);
        thread.turn.data = &thread;
        thread.turn_open = true;
        uv_check_start(&thread.turn, [](uv_check_t *check) {
          const auto *self = static_cast<const Thread *>(check->data);
          self->owner->on_turn_(self->index);
        });
      },
      [&thread] {
        if (thread.turn_open) uv_close(reinterpret_cast<uv_handle_t *>(&thread.turn), nullptr);
        thread.turn_open = false;
        if (thread.server) thread.server->stop();
      },
      thread.name.c_str());
}

HttpServer::HandOff WebhookThreads::hand_off_to(std::size_t i) {
  return [this, i](uv_os_sock_t socket) {
    auto in_transit = std::make_shared<SocketInTransit>(socket);
    Job job;
    job.done = [this, i, in_transit](std::exception_ptr) { threads_[i]->server->adopt(in_transit->take()); };
    if (threads_[i]->loop->post(std::move(job))) return true;
    in_transit->take();  // refused: still the caller's
    return false;
  };
}

void WebhookThreads::stop() {
  for (auto &thread : threads_) thread->loop->stop();
}

bool WebhookThreads::post(std::size_t thread, std::function<void()> task) {
  Job job;
  job.done = [task = std::move(task)](std::exception_ptr) { task(); };
  return threads_.at(thread)->loop->post(std::move(job));
}

Json WebhookThreads::status() const {
  Json status = threads_.front()->server->status();
  // How the listener spread the connections: one count per thread.
  Json per_thread = Json::array();
  for (const auto &thread : threads_) per_thread.push_back(thread->server->connections());
  status["threads"] = threads_.size();
  status["connections_per_thread"] = std::move(per_thread);
  return status;
}

}  // namespace ordercare::runtime

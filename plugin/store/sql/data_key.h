// One subject's unwrapped data key, with the cipher context made from it
// the first time it seals (the key schedule and GCM tables, about 1 KB):
// setting those up again for every seal was half of each seal's cost.
// Dropping it (erasure, eviction, a rollback, forget_keys) wipes the key
// bytes and frees the context, which OpenSSL wipes too, so an erased key
// is gone from memory with its entry. Used by the one thread that owns the
// vault's connection (the store's writer), never by two at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/crypto.h"

namespace ordercare::store::sql {

class DataKey {
 public:
  explicit DataKey(std::string bytes) : bytes_(std::move(bytes)) {}
  DataKey(DataKey &&other) noexcept : bytes_(std::move(other.bytes_)), sealer_(std::move(other.sealer_)) {
    other.sealer_.reset();
  }
  DataKey &operator=(DataKey &&other) noexcept {
    if (this != &other) {
      crypto::wipe(bytes_);  // the key this one held is dropped here
      bytes_ = std::move(other.bytes_);
      sealer_ = std::move(other.sealer_);
      other.sealer_.reset();
    }
    return *this;
  }
  DataKey(const DataKey &) = delete;
  DataKey &operator=(const DataKey &) = delete;
  ~DataKey() { crypto::wipe(bytes_); }

  const std::string &bytes() const { return bytes_; }

  // crypto::aes256gcm_seal(bytes(), plaintext, aad), without redoing the
  // key schedule.
  std::string seal(std::string_view plaintext, std::string_view aad) {
    if (!sealer_) sealer_.emplace(bytes_);
    return sealer_->seal(plaintext, aad);
  }

  bool ready_to_seal() const { return sealer_.has_value(); }

 private:
  std::string bytes_;
  std::optional<crypto::GcmSealer> sealer_;
};

}  // namespace ordercare::store::sql

// Thin, allocation-safe wrappers over OpenSSL's EVP/HMAC: the only place in
// the plugin that includes OpenSSL headers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

// OpenSSL's cipher context, named (not included) for GcmSealer below.
struct evp_cipher_ctx_st;

namespace ordercare::crypto {

// Raw 32-byte digests / MACs, as std::string of bytes.
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// Compares in time that depends only on the lengths, never on the contents.
bool constant_time_equal(std::string_view a, std::string_view b);

// Standard base64 (RFC 4648 section 4) with padding; decode also accepts
// input without padding and rejects anything else (nullopt).
std::string base64_encode(std::string_view bytes);
// The same digits, appended to `out`.
void base64_append(std::string &out, std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view text);

// Cryptographically secure random bytes; throws Failure(OC_ERR_INTERNAL) if
// the system generator fails.
std::string random_bytes(std::size_t count);

// AES-256-GCM. seal returns nonce(12) || ciphertext || tag(16); open returns
// nullopt if the key is wrong or the data was altered. aad is authenticated
// but not encrypted (we bind ciphertexts to what they belong to).
std::string aes256gcm_seal(std::string_view key32, std::string_view plaintext,
                           std::string_view aad = {});
std::optional<std::string> aes256gcm_open(std::string_view key32, std::string_view sealed,
                                          std::string_view aad = {});

// One AES-256-GCM key made ready to seal: the key schedule and GCM tables
// are worked out once, here, and each seal then only sets its fresh nonce
// (EVP_EncryptInit_ex with the key was half the cost of a seal). A seal is
// exactly what aes256gcm_seal(key32, ...) gives: nonce || ciphertext || tag,
// which aes256gcm_open opens. It keeps no copy of the key bytes; destroying
// it frees the context, and OpenSSL wipes the key schedule as it does. Not
// for two threads at once: each seal changes the context.
class GcmSealer {
 public:
  explicit GcmSealer(std::string_view key32);
  GcmSealer(GcmSealer &&) noexcept = default;
  GcmSealer &operator=(GcmSealer &&) noexcept = default;
  ~GcmSealer() = default;

  std::string seal(std::string_view plaintext, std::string_view aad = {});

 private:
  struct Free {
    void operator()(evp_cipher_ctx_st *ctx) const;
  };
  std::unique_ptr<evp_cipher_ctx_st, Free> ctx_;
};

// Overwrites the bytes of a string that held a key (the compiler may not
// drop it as a dead store) before it is freed.
void wipe(std::string &secret);

}  // namespace ordercare::crypto

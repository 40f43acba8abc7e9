#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <bit>
#include <cstring>
#include <memory>
#include <mutex>

#include "common/failure.h"

namespace ordercare::crypto {

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

CipherCtx new_cipher_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) fail(OC_ERR_NOMEM, "crypto: cannot allocate a cipher context");
  return ctx;
}

// The AES-256-GCM implementation, fetched from OpenSSL once: the implicit
// fetch behind EVP_aes_256_gcm() takes a lock and searches the providers on
// every call, which was a tenth of each seal.
const EVP_CIPHER *aes_256_gcm() {
  static const EVP_CIPHER *const cipher = [] {
    const EVP_CIPHER *fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return fetched ? fetched : EVP_aes_256_gcm();
  }();
  return cipher;
}

// One cipher context per thread, set up again for each message: allocating
// and freeing one per seal or open was as dear as the encryption itself.
EVP_CIPHER_CTX *thread_cipher_ctx() {
  thread_local CipherCtx ctx = new_cipher_ctx();
  return ctx.get();
}

// Nonces and small random values (data keys, ids) come from a per-thread
// pool of the secure generator's bytes, drawn a page at a time: one
// RAND_bytes call per 12-byte nonce went through the generator's locks each
// time, and one per 32-byte data key cost a new customer about 6,700 of
// the writer's instructions (callgrind). A forked child must never use the
// bytes its parent also holds (the same nonce under the same key breaks
// GCM, the same key is two customers' key), so fork empties every pool: the
// child handler bumps a generation the pools check.
std::atomic<std::uint64_t> fork_generation{0};

void after_fork_in_child() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

class RandomPool {
 public:
  void take(unsigned char *out, std::size_t count) {
    static std::once_flag registered;
    std::call_once(registered, [] { pthread_atfork(nullptr, nullptr, after_fork_in_child); });
    const std::uint64_t generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_ || used_ + count > sizeof pool_) {
      if (RAND_bytes(pool_, static_cast<int>(sizeof pool_)) != 1)
        fail(OC_ERR_INTERNAL, "crypto: the random generator failed");
      used_ = 0;
      generation_ = generation;
    }
    std::memcpy(out, pool_ + used_, count);
    // Bytes handed out are not kept.
    OPENSSL_cleanse(pool_ + used_, count);
    used_ += count;
  }

 private:
  unsigned char pool_[1536];
  std::size_t used_ = sizeof pool_;
  std::uint64_t generation_ = ~std::uint64_t{0};
};

// Values larger than this are drawn from the generator directly.
constexpr std::size_t kPooledRandomBytes = 64;

RandomPool &thread_random_pool() {
  thread_local RandomPool pool;
  return pool;
}

void fresh_nonce(unsigned char *out) { thread_random_pool().take(out, kNonceBytes); }

const unsigned char *bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char *>(s.data());
}

int int_len(std::string_view s) {
  if (s.size() > static_cast<std::size_t>(INT32_MAX)) fail(OC_ERR_TOO_LARGE, "crypto: input too large");
  return static_cast<int>(s.size());
}

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The two digits of every 12-bit value, so the encoder looks up two at once.
struct Base64Pairs {
  char digits[4096][2];
};
constexpr Base64Pairs make_base64_pairs() {
  Base64Pairs pairs{};
  for (int v = 0; v < 4096; ++v) {
    pairs.digits[v][0] = kBase64Alphabet[v >> 6];
    pairs.digits[v][1] = kBase64Alphabet[v & 63];
  }
  return pairs;
}
constexpr Base64Pairs kBase64Pairs = make_base64_pairs();

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr))
    fail(OC_ERR_INTERNAL, "crypto: SHA-256 failed");
  return std::string(reinterpret_cast<char *>(out), len);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), int_len(key), bytes(data), data.size(), out, &len))
    fail(OC_ERR_INTERNAL, "crypto: HMAC-SHA256 failed");
  return std::string(reinterpret_cast<char *>(out), len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void base64_append(std::string &out, std::string_view in) {
  // Written in place into a string of the final size: appending a character
  // at a time cost as much as the encryption of the PII it carries. Two
  // digits (12 bits) per lookup, and six bytes per step while eight can be
  // read, halved what was left of it.
  const std::size_t start = out.size();
  out.resize(start + (in.size() + 2) / 3 * 4);
  char *o = out.data() + start;
  const auto *p = reinterpret_cast<const unsigned char *>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 6) {
    std::uint64_t v;
    std::memcpy(&v, p + i, sizeof v);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    // The six bytes are the top 48 bits, first byte highest.
    std::memcpy(o, kBase64Pairs.digits[(v >> 52) & 0xFFF], 2);
    std::memcpy(o + 2, kBase64Pairs.digits[(v >> 40) & 0xFFF], 2);
    std::memcpy(o + 4, kBase64Pairs.digits[(v >> 28) & 0xFFF], 2);
    std::memcpy(o + 6, kBase64Pairs.digits[(v >> 16) & 0xFFF], 2);
    o += 8;
  }
  for (; i + 2 < n; i += 3) {
    const std::uint32_t v = (std::uint32_t(p[i]) << 16) | (std::uint32_t(p[i + 1]) << 8) | p[i + 2];
    std::memcpy(o, kBase64Pairs.digits[v >> 12], 2);
    std::memcpy(o + 2, kBase64Pairs.digits[v & 0xFFF], 2);
    o += 4;
  }
  if (i < n) {
    std::uint32_t v = std::uint32_t(p[i]) << 16;
    if (i + 1 < n) v |= std::uint32_t(p[i + 1]) << 8;
    *o++ = kBase64Alphabet[(v >> 18) & 63];
    *o++ = kBase64Alphabet[(v >> 12) & 63];
    *o++ = i + 1 < n ? kBase64Alphabet[(v >> 6) & 63] : '=';
    *o++ = '=';
  }
}

std::string base64_encode(std::string_view in) {
  std::string out;
  base64_append(out, in);
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1) return std::nullopt;
  // Padding, when there is any, completes the last group of four exactly.
  if (padding > 2 || (padding != 0 && (text.size() + padding) % 4 != 0)) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string hex_encode(std::string_view in) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(in.size() * 2);
  for (unsigned char c : in) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  auto *bytes_out = reinterpret_cast<unsigned char *>(out.data());
  if (count > 0 && count <= kPooledRandomBytes)
    thread_random_pool().take(bytes_out, count);
  else if (count > 0 && RAND_bytes(bytes_out, int_len(out)) != 1)
    fail(OC_ERR_INTERNAL, "crypto: the random generator failed");
  return out;
}

namespace {

// Seals under the context's key; `key` is null when the context already
// holds its key schedule (a GcmSealer's), so only the nonce is set.
std::string seal_with(EVP_CIPHER_CTX *ctx, const unsigned char *key, std::string_view plaintext,
                      std::string_view aad) {
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto *nonce = reinterpret_cast<unsigned char *>(out.data());
  fresh_nonce(nonce);
  auto *cipher_out = nonce + kNonceBytes;
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx, key ? aes_256_gcm() : nullptr, nullptr, key, nonce) == 1;
  ok = ok && (aad.empty() || EVP_EncryptUpdate(ctx, nullptr, &len, bytes(aad), int_len(aad)) == 1);
  ok = ok && EVP_EncryptUpdate(ctx, cipher_out, &len, bytes(plaintext), int_len(plaintext)) == 1;
  ok = ok && EVP_EncryptFinal_ex(ctx, cipher_out + len, &len) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, cipher_out + plaintext.size()) == 1;
  if (!ok) fail(OC_ERR_INTERNAL, "crypto: AES-256-GCM encryption failed");
  return out;
}

}  // namespace

std::string aes256gcm_seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  if (key.size() != 32) fail(OC_ERR_INTERNAL, "crypto: AES-256 needs a 32-byte key");
  return seal_with(thread_cipher_ctx(), bytes(key), plaintext, aad);
}

void GcmSealer::Free::operator()(evp_cipher_ctx_st *ctx) const { EVP_CIPHER_CTX_free(ctx); }

GcmSealer::GcmSealer(std::string_view key) {
  if (key.size() != 32) fail(OC_ERR_INTERNAL, "crypto: AES-256 needs a 32-byte key");
  ctx_.reset(new_cipher_ctx().release());
  // The key alone, no nonce yet: each seal sets its own.
  if (EVP_EncryptInit_ex(ctx_.get(), aes_256_gcm(), nullptr, bytes(key), nullptr) != 1)
    fail(OC_ERR_INTERNAL, "crypto: AES-256-GCM key setup failed");
}

std::string GcmSealer::seal(std::string_view plaintext, std::string_view aad) {
  if (!ctx_) fail(OC_ERR_INTERNAL, "crypto: sealing with a moved-from key");
  return seal_with(ctx_.get(), nullptr, plaintext, aad);
}

void wipe(std::string &secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
}

std::optional<std::string> aes256gcm_open(std::string_view key, std::string_view sealed,
                                          std::string_view aad) {
  if (key.size() != 32 || sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::string_view nonce = sealed.substr(0, kNonceBytes);
  const std::string_view cipher = sealed.substr(kNonceBytes, sealed.size() - kNonceBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  EVP_CIPHER_CTX *ctx = thread_cipher_ctx();
  std::string out(cipher.size(), '\0');
  auto *plain_out = reinterpret_cast<unsigned char *>(out.data());
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx, aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) == 1;
  ok = ok && (aad.empty() || EVP_DecryptUpdate(ctx, nullptr, &len, bytes(aad), int_len(aad)) == 1);
  ok = ok && EVP_DecryptUpdate(ctx, plain_out, &len, bytes(cipher), int_len(cipher)) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1;
  ok = ok && EVP_DecryptFinal_ex(ctx, plain_out + len, &len) == 1;
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ordercare::crypto

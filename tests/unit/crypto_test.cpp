#include "common/crypto.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "common/failure.h"

namespace ordercare::crypto {
namespace {

std::string unhex(std::string_view text) {
  auto bytes = hex_decode(text);
  if (!bytes) throw std::invalid_argument(std::string(text));
  return *bytes;
}

std::string hmac_hex(const std::string &key, const std::string &data) {
  return hex_encode(hmac_sha256(key, data));
}

// RFC 4231, section 4: the HMAC-SHA256 results of test cases 1-7.
TEST(Crypto, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(hmac_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_hex(std::string(20, '\xaa'), std::string(50, '\xdd')),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  EXPECT_EQ(hmac_hex(unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                     std::string(50, '\xcd')),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 5 is truncated to 128 bits.
  EXPECT_EQ(hmac_hex(std::string(20, '\x0c'), "Test With Truncation").substr(0, 32),
            "a3b6167473100ee06e0c796c2955552b");
  EXPECT_EQ(hmac_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hmac_hex(std::string(131, '\xaa'),
                     "This is a test using a larger than block-size key and a larger than "
                     "block-size data. The key needs to be hashed before being used by the HMAC "
                     "algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(Crypto, HmacSha256AcceptsAnEmptyKey) {
  EXPECT_EQ(hmac_hex("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(hmac_sha256("", "x").size(), 32u);
}

TEST(Crypto, Sha256MatchesKnownDigests) {
  EXPECT_EQ(hex_encode(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_encode(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, ConstantTimeEqualComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("signature", "signature"));
  EXPECT_FALSE(constant_time_equal("signature", "signaturE"));
  EXPECT_FALSE(constant_time_equal("signature", "signature "));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

// RFC 4648, section 10.
TEST(Crypto, Base64MatchesRfc4648) {
  const std::pair<const char *, const char *> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto &[plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), plain) << encoded;
  }
}

TEST(Crypto, Base64DecodesWithoutPadding) {
  EXPECT_EQ(base64_decode("Zg"), "f");
  EXPECT_EQ(base64_decode("Zm8"), "fo");
  EXPECT_EQ(base64_decode("Zm9vYmE"), "fooba");
}

TEST(Crypto, Base64RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::string part = all.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(part)), part);
  }
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
}

// The encoder takes six bytes a step and two digits a lookup: every length
// (each way the steps and the tail can fall) and every byte value at every
// position give the digits of the plain six-bits-at-a-time rule, and
// base64_append adds them after what is there.
TEST(Crypto, Base64EncodesLikeTheSixBitRuleAtEveryLengthAndOffset) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto reference = [](std::string_view in) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : in) {
      acc = (acc << 8) | c;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        out += alphabet[(acc >> bits) & 63];
      }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
    while (out.size() % 4 != 0) out += '=';
    return out;
  };
  std::string bytes;
  for (int i = 0; i < 600; ++i) bytes += static_cast<char>((i * 151 + 7) % 256);
  for (std::size_t n = 0; n <= 80; ++n) {
    for (std::size_t offset = 0; offset < 8; ++offset) {
      const std::string_view part = std::string_view(bytes).substr(offset * 61, n);
      EXPECT_EQ(base64_encode(part), reference(part)) << n << " bytes at " << offset;
    }
  }
  EXPECT_EQ(base64_encode(bytes), reference(bytes));
  std::string out = "prefix:";
  base64_append(out, "foobar");
  base64_append(out, "f");
  EXPECT_EQ(out, "prefix:Zm9vYmFyZg==");
}

TEST(Crypto, Base64RejectsAnythingElse) {
  for (const char *bad : {"Z", "Zm9vY", "Zm9v!", "Zm 9v", "Zm9v\n", "Zg=Zg==", "Zm-_", "====",
                          "Zg===", "Zm9v=", "Zm9v====", "Zm8==", "Zg=", "é"}) {
    EXPECT_EQ(base64_decode(bad), std::nullopt) << bad;
  }
}

TEST(Crypto, HexRoundTripsAndRejectsJunk) {
  EXPECT_EQ(hex_encode("Hello\x01\xff"), "48656c6c6f01ff");
  EXPECT_EQ(hex_decode("48656C6c6f01FF"), "Hello\x01\xff");
  EXPECT_EQ(hex_decode(""), "");
  EXPECT_EQ(hex_decode("abc"), std::nullopt);
  EXPECT_EQ(hex_decode("zz"), std::nullopt);
  EXPECT_EQ(hex_decode("0x12"), std::nullopt);
}

TEST(Crypto, RandomBytesHaveTheLengthAskedAndDiffer) {
  EXPECT_EQ(random_bytes(0), "");
  EXPECT_EQ(random_bytes(32).size(), 32u);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(random_bytes(16));
  EXPECT_EQ(seen.size(), 100u);
}

const std::string kKey(32, '\x42');

TEST(Crypto, AesGcmRoundTrips) {
  for (const std::string &plaintext : {std::string(), std::string("a@example.com"),
                                      std::string(1000, '\0'), std::string(4097, 'z')}) {
    const std::string sealed = aes256gcm_seal(kKey, plaintext, "customer:42");
    EXPECT_EQ(sealed.size(), 12 + plaintext.size() + 16);
    EXPECT_EQ(aes256gcm_open(kKey, sealed, "customer:42"), plaintext);
  }
  // Without associated data too.
  EXPECT_EQ(aes256gcm_open(kKey, aes256gcm_seal(kKey, "plain")), "plain");
}

TEST(Crypto, AesGcmHidesThePlaintextAndUsesAFreshNonce) {
  const std::string plaintext = "jane.doe@example.com";
  const std::string a = aes256gcm_seal(kKey, plaintext);
  const std::string b = aes256gcm_seal(kKey, plaintext);
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(0, 12), b.substr(0, 12));
  EXPECT_EQ(a.find(plaintext), std::string::npos);
}

TEST(Crypto, AesGcmDetectsEveryTamperedByte) {
  const std::string sealed = aes256gcm_seal(kKey, "refund 4999 USD", "order:7");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_EQ(aes256gcm_open(kKey, tampered, "order:7"), std::nullopt) << "byte " << i;
  }
  EXPECT_EQ(aes256gcm_open(kKey, sealed.substr(0, sealed.size() - 1), "order:7"), std::nullopt);
  EXPECT_EQ(aes256gcm_open(kKey, sealed + "x", "order:7"), std::nullopt);
  EXPECT_EQ(aes256gcm_open(kKey, sealed.substr(0, 27), "order:7"), std::nullopt);
  EXPECT_EQ(aes256gcm_open(kKey, "", "order:7"), std::nullopt);
  // The thread's cipher context serves the next message whole after a
  // refusal.
  EXPECT_EQ(aes256gcm_open(kKey, sealed, "order:7"), "refund 4999 USD");
  EXPECT_EQ(aes256gcm_open(kKey, aes256gcm_seal(kKey, "next", "order:8"), "order:8"), "next");
}

// Nonces come from a pool refilled a page at a time: none repeats across
// many refills.
TEST(Crypto, AesGcmNoncesStayDistinctAcrossManyRefills) {
  std::set<std::string> nonces;
  for (int i = 0; i < 2000; ++i) nonces.insert(aes256gcm_seal(kKey, "x").substr(0, 12));
  EXPECT_EQ(nonces.size(), 2000u);
}

// What `draw` gives `count` times in a child forked now, and what it gives
// the parent meanwhile, each value `size` bytes.
struct DrawnAfterFork {
  std::set<std::string> parent;
  std::vector<std::string> child;
};
DrawnAfterFork draw_after_fork(const std::function<std::string()> &draw, std::size_t size, int count) {
  DrawnAfterFork drawn;
  int fds[2];
  if (pipe(fds) != 0) return drawn;
  const pid_t child = fork();
  if (child < 0) return drawn;
  if (child == 0) {
    close(fds[0]);
    for (int i = 0; i < count; ++i) {
      const std::string value = draw();
      if (value.size() != size || write(fds[1], value.data(), size) != static_cast<ssize_t>(size)) _exit(2);
    }
    _exit(0);
  }
  close(fds[1]);
  for (int i = 0; i < count; ++i) drawn.parent.insert(draw());
  std::string from_child;
  char buffer[512];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) from_child.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return drawn;
  for (std::size_t i = 0; i + size <= from_child.size(); i += size) drawn.child.push_back(from_child.substr(i, size));
  return drawn;
}

// A PHP-FPM master or a Node cluster forks after the library sealed
// something: the child must not draw the nonces its parent draws next (the
// same nonce under the same key gives GCM away).
TEST(Crypto, AForkedChildNeverRepeatsItsParentsNonces) {
  aes256gcm_seal(kKey, "fills this thread's pool");
  constexpr int kEach = 40;
  const auto drawn = draw_after_fork([] { return aes256gcm_seal(kKey, "either").substr(0, 12); }, 12, kEach);
  ASSERT_EQ(drawn.child.size(), std::size_t{kEach}) << "the child did not report its nonces";
  for (std::size_t i = 0; i < drawn.child.size(); ++i)
    EXPECT_EQ(drawn.parent.count(drawn.child[i]), 0u) << "the child repeated its parent's nonce " << i;
}

// Small random values (a data key, an id) come from the same per-thread
// pool as nonces: a child forked after the parent drew some must not draw
// the keys its parent draws next. A value larger than the pool's share
// comes from the generator directly.
TEST(Crypto, AForkedChildNeverRepeatsItsParentsRandomBytes) {
  random_bytes(32);  // fills this thread's pool
  constexpr int kEach = 40;
  const auto drawn = draw_after_fork([] { return random_bytes(32); }, 32, kEach);
  ASSERT_EQ(drawn.child.size(), std::size_t{kEach}) << "the child did not report its keys";
  for (std::size_t i = 0; i < drawn.child.size(); ++i)
    EXPECT_EQ(drawn.parent.count(drawn.child[i]), 0u) << "the child repeated its parent's key " << i;
  EXPECT_EQ(drawn.parent.size(), std::size_t{kEach});

  const std::string large = random_bytes(4096);
  EXPECT_EQ(large.size(), 4096u);
  EXPECT_NE(large, std::string(4096, '\0'));
  EXPECT_NE(large, random_bytes(4096));
}

TEST(Crypto, AesGcmRefusesTheWrongKeyOrContext) {
  const std::string sealed = aes256gcm_seal(kKey, "secret", "customer:1");
  std::string other_key = kKey;
  other_key[31] = '\x43';
  EXPECT_EQ(aes256gcm_open(other_key, sealed, "customer:1"), std::nullopt);
  EXPECT_EQ(aes256gcm_open(kKey, sealed, "customer:2"), std::nullopt);
  EXPECT_EQ(aes256gcm_open(kKey, sealed), std::nullopt);
  EXPECT_EQ(aes256gcm_open(kKey.substr(0, 16), sealed, "customer:1"), std::nullopt);
}

TEST(Crypto, AesGcmSealNeedsA32ByteKey) {
  try {
    aes256gcm_seal(std::string(16, 'k'), "x");
    FAIL() << "expected a failure";
  } catch (const Failure &failure) {
    EXPECT_EQ(failure.status(), OC_ERR_INTERNAL);
  }
}

// A GcmSealer keeps its key schedule between seals and only sets a fresh
// nonce for each: what it seals is the nonce || ciphertext || tag that
// aes256gcm_seal gives, which aes256gcm_open opens, message after message,
// and alongside the thread's own context serving other keys.
TEST(Crypto, GcmSealerSealsWhatAesGcmOpenOpens) {
  GcmSealer sealer(kKey);
  std::string other_key = kKey;
  other_key[0] = '\x01';
  std::set<std::string> nonces;
  for (const std::string &plaintext : {std::string(), std::string("a@example.com"), std::string(1000, '\0'),
                                      std::string(4097, 'z'), std::string("a@example.com")}) {
    const std::string sealed = sealer.seal(plaintext, "customer:42");
    EXPECT_EQ(sealed.size(), 12 + plaintext.size() + 16);
    nonces.insert(sealed.substr(0, 12));
    EXPECT_EQ(aes256gcm_open(kKey, sealed, "customer:42"), plaintext);
    EXPECT_EQ(aes256gcm_open(kKey, sealed, "customer:43"), std::nullopt);
    EXPECT_EQ(aes256gcm_open(other_key, sealed, "customer:42"), std::nullopt);
    if (!plaintext.empty()) {
      EXPECT_EQ(sealed.find(plaintext), std::string::npos);
    }
    // The plain function, on this thread's context, in between.
    EXPECT_EQ(aes256gcm_open(other_key, aes256gcm_seal(other_key, "other", "x"), "x"), "other");
  }
  EXPECT_EQ(nonces.size(), 5u);
  EXPECT_EQ(aes256gcm_open(kKey, sealer.seal("plain")), "plain");  // no associated data
}

// Two sealers at once each seal under their own key only.
TEST(Crypto, GcmSealersKeepTheirOwnKeys) {
  std::string key_b = kKey;
  key_b[31] = '\x43';
  GcmSealer a(kKey), b(key_b);
  for (int i = 0; i < 3; ++i) {
    const std::string from_a = a.seal("for a", "k"), from_b = b.seal("for b", "k");
    EXPECT_EQ(aes256gcm_open(kKey, from_a, "k"), "for a");
    EXPECT_EQ(aes256gcm_open(key_b, from_b, "k"), "for b");
    EXPECT_EQ(aes256gcm_open(kKey, from_b, "k"), std::nullopt);
    EXPECT_EQ(aes256gcm_open(key_b, from_a, "k"), std::nullopt);
  }
  // Moved, it seals as before; the one moved from fails cleanly.
  GcmSealer moved(std::move(a));
  EXPECT_EQ(aes256gcm_open(kKey, moved.seal("moved", "k"), "k"), "moved");
  EXPECT_THROW(a.seal("x"), Failure);  // NOLINT(bugprone-use-after-move): what it does is the point
}

TEST(Crypto, GcmSealerNeedsA32ByteKey) {
  for (const std::string &key : {std::string(), std::string(16, 'k'), std::string(33, 'k')}) {
    try {
      GcmSealer sealer(key);
      FAIL() << "expected a failure for a key of " << key.size() << " bytes";
    } catch (const Failure &failure) {
      EXPECT_EQ(failure.status(), OC_ERR_INTERNAL);
    }
  }
}

TEST(Crypto, WipeOverwritesTheBytesInPlace) {
  std::string secret(40, 's');
  const char *where = secret.data();
  wipe(secret);
  EXPECT_EQ(secret.data(), where);
  EXPECT_EQ(secret, std::string(40, '\0'));
  std::string empty;
  wipe(empty);
  EXPECT_TRUE(empty.empty());
}

// The McGrew-Viega GCM test cases 13 and 14 (AES-256, zero key and IV), as
// nonce || ciphertext || tag: open must agree with the standard.
TEST(Crypto, AesGcmOpensKnownAnswers) {
  const std::string zero_key(32, '\0');
  const std::string nonce(12, '\0');
  EXPECT_EQ(aes256gcm_open(zero_key, nonce + unhex("530f8afbc74536b9a963b4f1c4cb738b")), "");
  EXPECT_EQ(aes256gcm_open(zero_key, nonce + unhex("cea7403d4d606b6e074ec5d3baf39d18"
                                                   "d0d1c8a799996bf0265b98b5d48ab919")),
            std::string(16, '\0'));
}

}  // namespace
}  // namespace ordercare::crypto

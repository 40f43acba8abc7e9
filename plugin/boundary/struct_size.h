// The Linux kernel's copy_struct_from_user rule for structs that cross the
// ABI: an older, smaller struct gets the fields it lacks zero-filled; a
// newer, larger one is accepted only if everything past what we know is
// zero. `min_size` is the size of the struct in ABI 1.0.
//
// The tail is read only up to kMaxStructSize bytes in all: a struct_size
// beyond it is refused before any byte past what we know is touched, so a
// garbage size (0xFFFFFFFF) cannot make us walk through the host's memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/failure.h"

namespace ordercare::boundary {

// The largest struct_size accepted (abi/ordercare.h, abi/ABI.md).
constexpr std::size_t kMaxStructSize = 4096;

template <class T>
T copy_struct_from_user(const T *user, std::size_t min_size, const char *name) {
  T out{};
  const std::uint32_t size = user->struct_size;
  if (size < min_size)
    fail(OC_ERR_STRUCT_SIZE, std::string(name) + ".struct_size is " + std::to_string(size) +
                                 ", smaller than the ABI 1.0 size " + std::to_string(min_size));
  if (size > kMaxStructSize)
    fail(OC_ERR_STRUCT_SIZE, std::string(name) + ".struct_size is " + std::to_string(size) +
                                 ", larger than the " + std::to_string(kMaxStructSize) +
                                 " bytes any version of it may grow to");
  if (size > sizeof(T)) {
    const auto *tail = reinterpret_cast<const unsigned char *>(user) + sizeof(T);
    for (std::size_t i = 0; i < size - sizeof(T); ++i)
      if (tail[i] != 0)
        fail(OC_ERR_STRUCT_SIZE, std::string(name) + " is larger than this library knows (" +
                                     std::to_string(size) + " > " + std::to_string(sizeof(T)) +
                                     " bytes) and its unknown tail is not zero");
  }
  std::memcpy(&out, user, size < sizeof(T) ? size : sizeof(T));
  out.struct_size = static_cast<std::uint32_t>(sizeof(T));
  return out;
}

}  // namespace ordercare::boundary

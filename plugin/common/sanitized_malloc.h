// Whether this build runs under AddressSanitizer or ThreadSanitizer, which
// put their own malloc in place of glibc's: GCC says so with
// __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__, clang with __has_feature.
#pragma once

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OC_SANITIZED_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define OC_SANITIZED_MALLOC 1
#endif
#endif
#ifndef OC_SANITIZED_MALLOC
#define OC_SANITIZED_MALLOC 0
#endif

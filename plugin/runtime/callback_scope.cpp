#include "runtime/callback_scope.h"

namespace ordercare::runtime {

namespace {
thread_local int t_callback_depth = 0;
}

bool inside_callback() noexcept { return t_callback_depth > 0; }
CallbackScope::CallbackScope() noexcept { ++t_callback_depth; }
CallbackScope::~CallbackScope() { --t_callback_depth; }

}  // namespace ordercare::runtime

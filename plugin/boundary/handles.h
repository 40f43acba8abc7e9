// What the opaque handles of ordercare.h are on this side of the boundary.
#pragma once

#include <memory>
#include <string>

#include "ordercare.h"
#include "runtime/plugin.h"

struct oc_plugin {
  std::unique_ptr<ordercare::runtime::Plugin> impl;
};

struct oc_buffer {
  std::string bytes;
};

// What a host callback attached to its answer with oc_reply_set().
struct oc_reply {
  std::string json;
};
